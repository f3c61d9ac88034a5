using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.UnitTests.Shared.Fleet;

namespace MeshPortal.UnitTests.Gateway.State;

public sealed class DeltaComposerTests
{
    private static readonly MeshSnapshot Base = ConfigDeltasTests.Mesh(4, routes: 10);
    private static readonly MeshSnapshot Next = MeshSnapshot.Create(5, Base.Config with
    {
        Routes = [.. Base.Config.Routes.Select(r => r.Id == "r-01" ? r with { Order = 7 } : r)],
    });
    private static readonly ConfigDelta Delta = ConfigDeltas.Between(ConfigIndex.Of(Base), ConfigIndex.Of(Next))!;

    [Fact]
    public void Compose_DeltaOntoItsBase_ComposedWithThePortalsHash()
    {
        Assert.Equal(DeltaFit.Composed, DeltaComposer.Compose(Base, Delta, out var composed));

        Assert.Equal(5, composed!.Revision);
        Assert.Equal(Next.Hash, composed.Hash);
        Assert.Null(SnapshotCheck.FindProblem(composed));
    }

    [Fact]
    public void Compose_BaseRevisionMissed_Gap()
    {
        Assert.Equal(DeltaFit.Gap, DeltaComposer.Compose(Base with { Revision = 3 }, Delta, out var composed));
        Assert.Null(composed);
    }

    [Fact]
    public void Compose_NothingServedYet_Gap() =>
        Assert.Equal(DeltaFit.Gap, DeltaComposer.Compose(null, Delta, out _));

    [Fact]
    public void Compose_AlreadyAtThatRevision_Stale() =>
        Assert.Equal(DeltaFit.Stale, DeltaComposer.Compose(Next, Delta, out _));

    [Fact]
    public void Compose_BaseConfigDiffersFromThePortals_HashMismatch()
    {
        var drifted = Base with { Config = Base.Config with { Routes = [.. Base.Config.Routes.Skip(1)] } };

        Assert.Equal(DeltaFit.HashMismatch, DeltaComposer.Compose(drifted, Delta, out var composed));
        Assert.Null(composed);
    }

    [Fact]
    public void Compose_DeltaWithWrongHash_HashMismatch() =>
        Assert.Equal(DeltaFit.HashMismatch, DeltaComposer.Compose(Base, Delta with { Hash = "0000" }, out _));
}

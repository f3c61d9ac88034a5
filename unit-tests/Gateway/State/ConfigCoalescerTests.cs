using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.UnitTests.Shared.Fleet;

namespace MeshPortal.UnitTests.Gateway.State;

public sealed class ConfigCoalescerTests
{
    // Revisions 1..5 of one mesh: each changes route r-0N's order, 4 also drops route r-09 and 5 adds it back.
    private static readonly MeshSnapshot[] Revisions = Build();

    [Fact]
    public void Coalesce_DeltasQueuedBehindEachOther_OneComposedAtTheNewestWithItsHash()
    {
        var next = ConfigCoalescer.Coalesce(Revisions[1], [Delta(1, 2), Delta(2, 3), Delta(3, 4), Delta(4, 5)]);

        Assert.Equal(DeltaFit.Composed, next.Fit);
        Assert.True(next.HashChecked);
        Assert.Equal(5, next.Snapshot!.Revision);
        Assert.Equal(Revisions[5].Hash, next.Snapshot.Hash);
        Assert.Equal(4, next.Messages);
    }

    [Fact]
    public void Coalesce_SnapshotThenDeltas_DeltasComposedOntoThePushedSnapshot()
    {
        var next = ConfigCoalescer.Coalesce(Revisions[1], [Delta(1, 2), new ConfigMessage(Revisions[3], null), Delta(3, 4), Delta(4, 5)]);

        Assert.Equal(DeltaFit.Composed, next.Fit);
        Assert.Equal(Revisions[5].Hash, next.Snapshot!.Hash);
    }

    [Fact]
    public void Coalesce_SnapshotsOnly_NewestAppliedWhole()
    {
        var next = ConfigCoalescer.Coalesce(Revisions[1], [new ConfigMessage(Revisions[2], null), new ConfigMessage(Revisions[4], null)]);

        Assert.Equal(DeltaFit.Whole, next.Fit);
        Assert.False(next.HashChecked);
        Assert.Same(Revisions[4], next.Snapshot);
    }

    [Fact]
    public void Coalesce_ADeltaMissingInBetween_Gap()
    {
        var next = ConfigCoalescer.Coalesce(Revisions[1], [Delta(1, 2), Delta(3, 4)]);

        Assert.Equal(DeltaFit.Gap, next.Fit);
        Assert.Null(next.Snapshot);
    }

    [Fact]
    public void Coalesce_DeltasNoNewerThanTheServed_Stale() =>
        Assert.Equal(DeltaFit.Stale, ConfigCoalescer.Coalesce(Revisions[3], [Delta(1, 2), Delta(2, 3)]).Fit);

    [Fact]
    public void Coalesce_StaleDeltaThenOneThatFollowsOn_ComposedFromTheServed()
    {
        var next = ConfigCoalescer.Coalesce(Revisions[3], [Delta(2, 3), Delta(3, 4)]);

        Assert.Equal(DeltaFit.Composed, next.Fit);
        Assert.Equal(Revisions[4].Hash, next.Snapshot!.Hash);
    }

    private static ConfigMessage Delta(int from, int to) =>
        new(null, ConfigDeltas.Between(ConfigIndex.Of(Revisions[from]), ConfigIndex.Of(Revisions[to]))!);

    private static MeshSnapshot[] Build()
    {
        var revisions = new MeshSnapshot[6];
        revisions[0] = ConfigDeltasTests.Mesh(0, routes: 10);
        for (var n = 1; n <= 5; n++)
        {
            var config = revisions[n - 1].Config;
            var routes = config.Routes.Select(r => r.Id == $"r-0{n}" ? r with { Order = n } : r);
            var removed = revisions[0].Config.Routes.Single(r => r.Id == "r-00");
            routes = n == 4 ? routes.Where(r => r.Id != "r-00") : n == 5 ? routes.Append(removed with { Order = 99 }) : routes;
            revisions[n] = MeshSnapshot.Create(n, config with { Routes = [.. routes] });
        }

        return revisions;
    }
}

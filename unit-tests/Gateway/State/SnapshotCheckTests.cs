using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;

namespace MeshPortal.UnitTests.Gateway.State;

public sealed class SnapshotCheckTests
{
    [Fact]
    public void FindProblem_ValidSnapshot_Null()
    {
        Assert.Null(SnapshotCheck.FindProblem(GatewayTestData.Snapshot()));
        Assert.True(SnapshotCheck.IsAcceptable(GatewayTestData.Snapshot(), hashChecked: false, out _));
    }

    [Fact]
    public void FindProblem_AllWeightsZero_NamesFieldAndRule()
    {
        var problem = SnapshotCheck.FindProblem(GatewayTestData.Snapshot(4, GatewayTestData.Config(0, 0)));

        Assert.NotNull(problem);
        Assert.Contains("revision 4", problem);
        Assert.Contains("routes[catalog].backends", problem);
        Assert.Contains("at least one weight must be greater than 0", problem);
    }

    [Fact]
    public void FindProblem_UnknownSubset_Rejected()
    {
        var config = GatewayTestData.Config();
        config = config with { Routes = [config.Routes[0] with { Backends = [new BackendRef { Service = "catalog", Subset = "v9", Weight = 1 }] }] };

        Assert.Contains("unknown subset 'v9'", SnapshotCheck.FindProblem(GatewayTestData.Snapshot(1, config)));
    }

    [Fact]
    public void FindProblem_HashDoesNotMatchConfig_Rejected()
    {
        var snapshot = GatewayTestData.Snapshot() with { Hash = "0123" };

        var problem = SnapshotCheck.FindProblem(snapshot);

        Assert.NotNull(problem);
        Assert.Contains("hash mismatch", problem);
        Assert.Contains(GatewayTestData.Snapshot().Hash, problem);
    }

    [Fact]
    public void FindProblem_ConfigChangedAfterHashing_Rejected()
    {
        var snapshot = GatewayTestData.Snapshot();
        var tampered = snapshot with { Config = GatewayTestData.Config(50, 50) };

        Assert.Contains("hash mismatch", SnapshotCheck.FindProblem(tampered));
    }

    [Fact]
    public void FindProblem_NullSnapshot_Rejected()
    {
        Assert.False(SnapshotCheck.IsAcceptable(null, hashChecked: false, out var problem));
        Assert.Contains("no config", problem);
    }

    [Fact]
    public void FindProblem_NullListsFromMalformedJson_RejectedNotThrown()
    {
        var config = GatewayTestData.Config();
        config = config with { Routes = [config.Routes[0] with { Match = config.Routes[0].Match with { Hosts = null! } }] };

        Assert.NotNull(SnapshotCheck.FindProblem(new MeshSnapshot { Revision = 1, Hash = "x", Config = config }));
    }
}

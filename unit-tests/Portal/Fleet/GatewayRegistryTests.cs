using MeshPortal.Portal.Fleet;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Fleet;

public sealed class GatewayRegistryTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z"));
    private readonly GatewayRegistry _registry;

    public GatewayRegistryTests() => _registry = new GatewayRegistry(_time);

    private void Connect(string connection, string node, long applied) =>
        _registry.Connected(connection, new GatewayHello { Node = node, GatewayId = $"gw-{node}", AppliedRevision = applied });

    private GatewayStatus Status(string node) => _registry.List().Single(g => g.Node == node);

    [Fact]
    public void List_AppliedHead_Synced()
    {
        _registry.HeadChanged(5);
        Connect("c1", "n1", 5);
        Assert.Equal(GatewaySyncState.Synced, Status("n1").State);
    }

    [Fact]
    public void List_BehindHeadUnderFiveSeconds_Applying()
    {
        _registry.HeadChanged(5);
        Connect("c1", "n1", 5);
        _registry.HeadChanged(6);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(GatewaySyncState.Applying, Status("n1").State);
    }

    [Fact]
    public void List_BehindHeadOverFiveSeconds_Stale()
    {
        _registry.HeadChanged(5);
        Connect("c1", "n1", 5);
        _registry.HeadChanged(6);
        _time.Advance(TimeSpan.FromSeconds(5.5));
        Assert.Equal(GatewaySyncState.Stale, Status("n1").State);
    }

    [Fact]
    public void Nacked_HeadRevision_NackedWithError()
    {
        _registry.HeadChanged(5);
        Connect("c1", "n1", 5);
        _registry.HeadChanged(6);
        _registry.Nacked("c1", 6, "routes[catalog].backends: bad");
        var status = Status("n1");
        Assert.Equal(GatewaySyncState.Nacked, status.State);
        Assert.Equal("routes[catalog].backends: bad", status.LastError);
    }

    [Fact]
    public void Disconnected_KeepsLastSeen()
    {
        _registry.HeadChanged(1);
        Connect("c1", "n1", 1);
        _time.Advance(TimeSpan.FromSeconds(3));
        _registry.Disconnected("c1");
        var status = Status("n1");
        Assert.Equal(GatewaySyncState.Disconnected, status.State);
        Assert.Equal(_time.GetUtcNow(), status.LastSeen);
    }

    [Fact]
    public void Acked_LastGateway_RecordsConvergenceFromHeadChange()
    {
        _registry.HeadChanged(1);
        Connect("c1", "n1", 1);
        Connect("c2", "n2", 1);
        _registry.HeadChanged(2);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        _registry.Acked("c1", 2, "h");
        Assert.Empty(_registry.Convergences());
        _time.Advance(TimeSpan.FromMilliseconds(20));
        _registry.Acked("c2", 2, "h");

        var convergence = Assert.Single(_registry.Convergences());
        Assert.Equal(2, convergence.Revision);
        Assert.Equal(50, convergence.Milliseconds);
        Assert.Equal(2, convergence.Gateways);
        Assert.Equal(50, Status("n2").ConvergenceMs);
    }

    [Fact]
    public void Connected_Reconnect_ReplacesEntryOfSameGateway()
    {
        _registry.HeadChanged(3);
        Connect("c1", "n1", 2);
        _registry.Disconnected("c1");
        Connect("c2", "n1", 3);
        Assert.Equal(GatewaySyncState.Synced, Assert.Single(_registry.List()).State);
    }
}

using MeshPortal.Portal.Fleet;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Fleet;

public sealed class GatewayRegistryTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z"));
    private readonly FleetOptions _options = new() { MaxGatewaysPerNode = 3 };
    private readonly GatewayRegistry _registry;

    public GatewayRegistryTests() => _registry = new GatewayRegistry(_time, Options.Create(_options));

    private void Head(long revision) => _registry.HeadChanged(revision, $"h{revision}");

    private bool Connect(string connection, string node, long applied, string? gatewayId = null) =>
        _registry.Hello(connection, node, new GatewayHello
        {
            Node = node, GatewayId = gatewayId ?? $"gw-{node}", AppliedRevision = applied, AppliedHash = $"h{applied}",
        });

    private GatewayStatus Status(string node) => _registry.List().Single(g => g.Node == node);

    [Fact]
    public void List_AppliedHead_Synced()
    {
        Head(5);
        Connect("c1", "n1", 5);
        Assert.Equal(GatewaySyncState.Synced, Status("n1").State);
    }

    [Fact]
    public void List_BehindHeadUnderFiveSeconds_Applying()
    {
        Head(5);
        Connect("c1", "n1", 5);
        Head(6);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(GatewaySyncState.Applying, Status("n1").State);
    }

    [Fact]
    public void List_BehindHeadOverFiveSeconds_Stale()
    {
        Head(5);
        Connect("c1", "n1", 5);
        Head(6);
        _time.Advance(TimeSpan.FromSeconds(5.5));
        Assert.Equal(GatewaySyncState.Stale, Status("n1").State);
    }

    [Fact]
    public void Nacked_HeadRevision_NackedWithError()
    {
        Head(5);
        Connect("c1", "n1", 5);
        Head(6);
        Assert.True(_registry.Nacked("c1", 6, "routes[catalog].backends: bad"));
        var status = Status("n1");
        Assert.Equal(GatewaySyncState.Nacked, status.State);
        Assert.Equal("routes[catalog].backends: bad", status.LastError);
    }

    [Fact]
    public void Nacked_RevisionBeyondHead_Refused()
    {
        Head(5);
        Connect("c1", "n1", 5);
        Assert.False(_registry.Nacked("c1", 1_000_000_000_000, "spoofed"));
        Assert.Equal(GatewaySyncState.Synced, Status("n1").State);
    }

    [Fact]
    public void Disconnected_DisconnectedAtOnceWithLastSeen()
    {
        Head(1);
        Connect("c1", "n1", 1);
        _time.Advance(TimeSpan.FromSeconds(3));
        _registry.Disconnected("c1");
        var status = Status("n1");
        Assert.Equal(GatewaySyncState.Disconnected, status.State);
        Assert.Equal(_time.GetUtcNow(), status.LastSeen);
    }

    [Fact]
    public void List_ClosedLongerThanRetention_RowRemoved()
    {
        Head(1);
        Connect("c1", "n1", 1);
        _registry.Disconnected("c1");
        _time.Advance(_options.DisconnectedRetention - TimeSpan.FromSeconds(1));
        Assert.Single(_registry.List());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(_registry.List());
    }

    [Fact]
    public void Acked_LastGateway_RecordsConvergenceFromHeadChange()
    {
        Head(1);
        Connect("c1", "n1", 1);
        Connect("c2", "n2", 1);
        Head(2);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        _registry.Acked("c1", 2, "h2");
        Assert.Empty(_registry.Convergences());
        _time.Advance(TimeSpan.FromMilliseconds(20));
        _registry.Acked("c2", 2, "h2");

        var convergence = Assert.Single(_registry.Convergences());
        Assert.Equal(2, convergence.Revision);
        Assert.Equal(50, convergence.Milliseconds);
        Assert.Equal(_time.GetUtcNow(), convergence.ConvergedAt);
        Assert.Equal(2, convergence.Gateways);
        Assert.Equal(50, Status("n2").ConvergenceMs);
    }

    [Fact]
    public void Acked_LastLiveGatewayAfterABehindOneClosed_ConvergedOverLiveGateways()
    {
        Head(1);
        Connect("c1", "n1", 1);
        Connect("c2", "n2", 1);
        Connect("c3", "n3", 1);
        Head(2);
        _registry.Acked("c1", 2, "h2");
        _registry.Disconnected("c3");
        Assert.Empty(_registry.Convergences());

        _registry.Acked("c2", 2, "h2");

        var convergence = Assert.Single(_registry.Convergences());
        Assert.Equal(2, convergence.Revision);
        Assert.Equal(2, convergence.Gateways);
    }

    [Fact]
    public void Acked_WhileAGatewayConnectedBehind_NotConvergedUntilItAcks()
    {
        Head(1);
        Connect("c1", "n1", 1);
        Head(2);
        Connect("c2", "n2", 1);
        _registry.Acked("c1", 2, "h2");
        Assert.Empty(_registry.Convergences());

        // A repeated Hello on the connection is the same row: counted once.
        Connect("c2", "n2", 1);
        _registry.Acked("c2", 2, "h2");

        Assert.Equal(2, Assert.Single(_registry.Convergences()).Gateways);
    }

    [Theory]
    [InlineData(1_000_000_000_000, "h1000000000000")]
    [InlineData(2, "not-the-hash")]
    [InlineData(7, "h7")]
    public void Acked_RevisionOrHashThatWasNeverHead_RefusedAndNotSynced(long revision, string hash)
    {
        Head(1);
        Connect("c1", "n1", 1);
        Head(2);
        Assert.False(_registry.Acked("c1", revision, hash));
        Assert.NotEqual(GatewaySyncState.Synced, Status("n1").State);
        Assert.Equal(1, Status("n1").AppliedRevision);
    }

    [Fact]
    public void Acked_OlderHeadWithItsHash_Taken()
    {
        Head(1);
        Connect("c1", "n1", 0);
        Head(2);
        Assert.True(_registry.Acked("c1", 1, "h1"));
        Assert.Equal(1, Status("n1").AppliedRevision);
    }

    [Fact]
    public void Hello_ClaimsUnknownRevision_CountsAsNothingApplied()
    {
        Head(3);
        _registry.Hello("c1", "n1", new GatewayHello { Node = "n1", GatewayId = "g", AppliedRevision = 1_000_000_000_000, AppliedHash = "x" });
        Assert.Equal(0, Status("n1").AppliedRevision);
        Assert.Equal(GatewaySyncState.Applying, Status("n1").State);
    }

    [Fact]
    public void Acked_BeforeHelloOrAfterClose_Refused()
    {
        Head(1);
        Assert.False(_registry.Acked("c1", 1, "h1"));
        Connect("c1", "n1", 0);
        _registry.Disconnected("c1");
        Assert.False(_registry.Acked("c1", 1, "h1"));
        Assert.Null(_registry.NodeOf("c1"));
    }

    [Fact]
    public void Hello_SameGatewayIdOnAnotherNode_SeparateRows()
    {
        Head(1);
        Connect("c1", "n1", 1, gatewayId: "shared");
        Connect("c2", "n2", 0, gatewayId: "shared");
        Assert.Equal(GatewaySyncState.Synced, Status("n1").State);
        Assert.Equal(GatewaySyncState.Applying, Status("n2").State);
    }

    [Fact]
    public void Hello_RepeatedOnOneConnectionWithNewIds_OneRow()
    {
        Head(1);
        for (var i = 0; i < 50; i++)
        {
            Connect("c1", "n1", 1, gatewayId: $"gw-{i}");
        }

        Assert.Equal("gw-49", Assert.Single(_registry.List()).GatewayId);
    }

    [Fact]
    public void Hello_Reconnect_ReplacesClosedRowOfSameGateway()
    {
        Head(3);
        Connect("c1", "n1", 2);
        _registry.Disconnected("c1");
        Connect("c2", "n1", 3);
        Assert.Equal(GatewaySyncState.Synced, Assert.Single(_registry.List()).State);
    }

    [Fact]
    public void Hello_NodeFull_RefusedUnlessClosedRowsCanGo()
    {
        Head(1);
        Assert.True(Connect("c1", "n1", 1, "a"));
        Assert.True(Connect("c2", "n1", 1, "b"));
        Assert.True(Connect("c3", "n1", 1, "c"));
        Assert.False(Connect("c4", "n1", 1, "d"));
        Assert.True(Connect("c5", "n2", 1, "a"));

        _registry.Disconnected("c1");
        Assert.True(Connect("c4", "n1", 1, "d"));
        Assert.Equal(["b", "c", "d"], _registry.List().Where(g => g.Node == "n1").Select(g => g.GatewayId));
    }
}

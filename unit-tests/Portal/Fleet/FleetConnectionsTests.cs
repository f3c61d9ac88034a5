using MeshPortal.Portal.Fleet;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Fleet;

public sealed class FleetConnectionsTests
{
    private readonly FleetConnections _connections = new();
    private readonly List<string> _aborted = [];

    private FleetConnection Add(string connectionId, string tokenId)
    {
        var connection = new FleetConnection(connectionId, tokenId, "n1", () => _aborted.Add(connectionId),
            new TelemetryGate(new FakeTimeProvider(), new FleetOptions()));
        _connections.Add(connection);
        return connection;
    }

    [Fact]
    public void Revoke_Token_EndsOnlyItsConnections()
    {
        var a = Add("c1", "t1");
        var b = Add("c2", "t1");
        var other = Add("c3", "t2");

        Assert.Equal(2, _connections.Revoke("t1"));

        Assert.Equal(["c1", "c2"], _aborted.Order());
        Assert.True(a.IsRevoked && b.IsRevoked);
        Assert.False(other.IsRevoked);
    }

    [Fact]
    public void TokenIds_LiveConnections_EachTokenOnce()
    {
        Add("c1", "t1");
        Add("c2", "t1");
        Add("c3", "t2");
        _connections.Remove("c3");
        Assert.Equal(["t1"], _connections.TokenIds());
    }

    [Fact]
    public void FirstWarning_SameReasonTwice_OnlyFirstTime()
    {
        var c = Add("c1", "t1");
        Assert.True(c.FirstWarning(FleetRefusal.OtherNode));
        Assert.False(c.FirstWarning(FleetRefusal.OtherNode));
        Assert.True(c.FirstWarning(FleetRefusal.BeforeHello));
    }

    [Fact]
    public void ReserveSnapshot_AskedInALoop_PacesEachOneIntervalAfterTheLast()
    {
        var time = new FakeTimeProvider();
        var connection = Add("c1", "t1");
        var interval = TimeSpan.FromSeconds(1);

        Assert.Equal(TimeSpan.Zero, connection.ReserveSnapshot(time, interval));
        Assert.Equal(TimeSpan.FromSeconds(1), connection.ReserveSnapshot(time, interval));
        Assert.Equal(TimeSpan.FromSeconds(2), connection.ReserveSnapshot(time, interval));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, connection.ReserveSnapshot(time, interval));
    }

    [Fact]
    public void ReserveSnapshot_OtherConnection_IsNotHeldBack()
    {
        var time = new FakeTimeProvider();
        var spammer = Add("c1", "t1");
        var other = Add("c2", "t2");
        spammer.ReserveSnapshot(time, TimeSpan.FromSeconds(1));
        spammer.ReserveSnapshot(time, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, other.ReserveSnapshot(time, TimeSpan.FromSeconds(1)));
    }
}

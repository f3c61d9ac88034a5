using MeshPortal.Portal.Fleet;

namespace MeshPortal.UnitTests.Portal.Fleet;

public sealed class FleetMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static GatewayStatus Row(string node, string id, GatewaySyncState state, string replica, int secondsAgo = 0) =>
        new() { Node = node, GatewayId = id, State = state, Replica = replica, LastSeen = T0.AddSeconds(-secondsAgo) };

    [Fact]
    public void Statuses_NoOtherReplica_LocalRowsUntouched()
    {
        IReadOnlyList<GatewayStatus> local = [Row("n1", "g", GatewaySyncState.Synced, "a"), Row("n1", "g", GatewaySyncState.Disconnected, "a")];

        Assert.Same(local, FleetMerge.Statuses(local, []));
    }

    [Fact]
    public void Statuses_GatewayMovedToThisReplica_LiveLocalRowHidesTheOthersStaleRow()
    {
        var merged = FleetMerge.Statuses([Row("n2", "g2", GatewaySyncState.Synced, "a")], [Row("n2", "g2", GatewaySyncState.Synced, "b", 3)]);

        Assert.Equal("a", Assert.Single(merged).Replica);
    }

    [Fact]
    public void Statuses_GatewayMovedAway_LiveRowOfTheOtherReplicaReplacesLocalDisconnected()
    {
        var merged = FleetMerge.Statuses([Row("n2", "g2", GatewaySyncState.Disconnected, "a")], [Row("n2", "g2", GatewaySyncState.Synced, "b")]);

        var row = Assert.Single(merged);
        Assert.Equal((GatewaySyncState.Synced, "b"), (row.State, row.Replica));
    }

    [Fact]
    public void Statuses_EachReplicaItsOwnGateways_AllListedInNodeOrder()
    {
        var merged = FleetMerge.Statuses(
            [Row("n1", "g1", GatewaySyncState.Synced, "a")],
            [Row("n3", "g3", GatewaySyncState.Applying, "b"), Row("n2", "g2", GatewaySyncState.Synced, "b")]);

        Assert.Equal(["n1", "n2", "n3"], merged.Select(s => s.Node));
    }

    [Fact]
    public void Convergences_TwoReplicas_SlowestTimeAndEveryGatewayCounted()
    {
        var t = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        var merged = FleetMerge.Convergences(
            [new RevisionConvergence(7, 40, 1, t.AddMilliseconds(40))],
            new SharedFleet(1, [], [new RevisionConvergence(7, 90, 2, t.AddMilliseconds(90)), new RevisionConvergence(6, 10, 2, t)]));

        Assert.Equal([new RevisionConvergence(7, 90, 3, t.AddMilliseconds(90)), new RevisionConvergence(6, 10, 2, t)], merged);
    }

    [Fact]
    public void Convergences_OtherReplicaListsALiveGatewayBehindTheHead_HeadLeftOutHistoryKept()
    {
        var t = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        var behind = Row("n5", "g5", GatewaySyncState.Applying, "b") with { AppliedRevision = 6 };

        var merged = FleetMerge.Convergences(
            [new RevisionConvergence(7, 40, 3, t.AddMilliseconds(40)), new RevisionConvergence(6, 30, 3, t)],
            new SharedFleet(1, [behind], [new RevisionConvergence(6, 50, 1, t)]));

        Assert.Equal([new RevisionConvergence(6, 50, 4, t)], merged);
    }

    [Fact]
    public void Convergences_OtherReplicasGatewayBehindButDisconnected_HeadReported()
    {
        var t = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        var closed = Row("n5", "g5", GatewaySyncState.Disconnected, "b") with { AppliedRevision = 6 };

        var merged = FleetMerge.Convergences([new RevisionConvergence(7, 40, 3, t)], new SharedFleet(0, [closed], []));

        Assert.Equal([new RevisionConvergence(7, 40, 3, t)], merged);
    }
}

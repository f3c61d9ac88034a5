using MeshPortal.Portal.Telemetry;

namespace MeshPortal.UnitTests.Portal.Telemetry;

public sealed class TopologyDiffTests
{
    private static ViewNode Node(string id, double rps = 10, Health health = Health.Healthy) =>
        new(id, id, ViewNodeKind.Service, "team", health, rps, 0, 1, "v1", false);

    private static ViewEdge Edge(string from, string to, double rps = 10, Health health = Health.Healthy) =>
        new($"{from}->{to}/v1", from, to, "v1", health, rps, 0, 5, 10, 100, 1);

    private static TopologyView View(IReadOnlyList<ViewNode> nodes, IReadOnlyList<ViewEdge> edges) => new(TopologyMode.Whole, 3, 2, nodes, edges);

    [Fact]
    public void Between_EdgeAddedAndRemoved_OnlyThoseSent()
    {
        var before = View([Node("a"), Node("b"), Node("c")], [Edge("a", "b")]);
        var after = View([Node("a"), Node("b"), Node("c")], [Edge("b", "c")]);

        var (delta, drawn) = TopologyDiff.Between(before, after, reset: false);

        Assert.False(delta.Reset);
        Assert.Empty(delta.Nodes);
        Assert.Empty(delta.RemovedNodes);
        Assert.Equal(["b->c/v1"], delta.Edges.Select(e => e.Id));
        Assert.Equal(["a->b/v1"], delta.RemovedEdges);
        Assert.Equal(after, drawn with { Nodes = after.Nodes, Edges = after.Edges });
    }

    [Fact]
    public void Between_RateJitterUnder10Percent_NothingSentAndDrawnKeepsOldValue()
    {
        var before = View([Node("a", 10)], [Edge("a", "a", 10)]);
        var after = View([Node("a", 10.5)], [Edge("a", "a", 9.5)]);

        var (delta, drawn) = TopologyDiff.Between(before, after, reset: false);

        Assert.True(delta.IsEmpty);
        Assert.Equal(10, drawn.Nodes[0].Rps);
    }

    [Fact]
    public void Between_HealthTurnsOrRateDoubles_Sent()
    {
        var before = View([Node("a"), Node("b")], [Edge("a", "b")]);
        var after = View([Node("a", 20), Node("b")], [Edge("a", "b", health: Health.Failing)]);

        var (delta, _) = TopologyDiff.Between(before, after, reset: false);

        Assert.Equal(["a"], delta.Nodes.Select(n => n.Id));
        Assert.Equal(Health.Failing, Assert.Single(delta.Edges).Health);
    }

    [Fact]
    public void Between_Reset_WholeViewNothingRemoved()
    {
        var before = View([Node("a")], []);
        var after = View([Node("b"), Node("c")], [Edge("b", "c")]);

        var (delta, _) = TopologyDiff.Between(before, after, reset: true);

        Assert.True(delta.Reset);
        Assert.Equal(2, delta.Nodes.Count);
        Assert.Empty(delta.RemovedNodes);
    }
}

using MeshPortal.Portal.Telemetry;

namespace MeshPortal.UnitTests.Portal.Telemetry;

public sealed class TopologyReducerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);

    /// <summary>n services svc-i owned by team-(i % owners), each calling i+1, i+7 and i+31; every 33rd failing.</summary>
    private static (TopologyGraph Graph, Dictionary<string, string> Owners) Mesh(int n, int owners = 20)
    {
        var edges = Enumerable.Range(0, n).SelectMany(i => new[] { 1, 7, 31 }.Select(k => (i + k) % n).Distinct().Where(j => j != i)
            .Select(j => new TopologyEdge($"svc-{i}", $"svc-{j}", "v1", 1 + j % 5, j % 33 == 0 ? 0.5 : 0, 5, 10, 100,
                j % 33 == 0 ? Health.Failing : Health.Healthy))).ToList();
        var nodes = Enumerable.Range(0, n).Select(i => new TopologyNode($"svc-{i}", ["v1"], edges.Where(e => e.Target == $"svc-{i}").Sum(e => e.Rps),
            i % 33 == 0 ? 0.5 : 0, i % 33 == 0 ? Health.Failing : Health.Healthy, false)).ToList();
        return (new TopologyGraph(60, Now, nodes, edges), Enumerable.Range(0, n).ToDictionary(i => $"svc-{i}", i => $"team-{i % owners}"));
    }

    [Fact]
    public void Reduce_SmallMesh_WholeGraph()
    {
        var (graph, owners) = Mesh(100);

        var view = TopologyReducer.Reduce(graph, owners, new TopologyQuery());

        Assert.Equal(TopologyMode.Whole, view.Mode);
        Assert.Equal(100, view.Nodes.Count);
        Assert.Equal(300, view.Edges.Count);
    }

    [Fact]
    public void Reduce_1000Services_SummaryOfOwnersBusiestAndFailing()
    {
        var (graph, owners) = Mesh(1000);

        var view = TopologyReducer.Reduce(graph, owners, new TopologyQuery());

        Assert.Equal(TopologyMode.Summary, view.Mode);
        Assert.Equal(20, view.Nodes.Count(n => n.Kind == ViewNodeKind.Group));
        Assert.Equal(1000, view.Nodes.Where(n => n.Kind == ViewNodeKind.Group).Sum(n => n.Members) + view.Nodes.Count(n => n.Kind != ViewNodeKind.Group));
        Assert.Equal(24, view.Nodes.Count(n => n.Health == Health.Failing && n.Kind == ViewNodeKind.Service));
        Assert.True(view.Nodes.Count <= 60, $"{view.Nodes.Count} nodes");
        Assert.DoesNotContain(view.Edges, e => e.Source == e.Target);
        Assert.Equal(3000, view.Edges.Sum(e => e.Edges) + InsideGroups(graph, view, owners));
    }

    private static int InsideGroups(TopologyGraph graph, TopologyView view, Dictionary<string, string> owners)
    {
        var shown = view.Nodes.Where(n => n.Kind != ViewNodeKind.Group).Select(n => n.Id).ToHashSet();
        return graph.Edges.Count(e => !shown.Contains(e.Source) && !shown.Contains(e.Target) && owners[e.Source] == owners[e.Target]);
    }

    [Fact]
    public void Reduce_GroupExpanded_ItsMembersShownOnTheirOwn()
    {
        var (graph, owners) = Mesh(1000);

        var view = TopologyReducer.Reduce(graph, owners, new TopologyQuery { Expanded = new HashSet<string> { "team-3" } });

        Assert.DoesNotContain(view.Nodes, n => n.Id == "group:team-3");
        Assert.Equal(50, view.Nodes.Count(n => n.Owner == "team-3" && n.Kind == ViewNodeKind.Service));
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 25)]
    public void Reduce_Focus_NeighbourhoodOfCallersAndCallees(int hops, int expected)
    {
        var (graph, owners) = Mesh(1000);

        var view = TopologyReducer.Reduce(graph, owners, new TopologyQuery { Focus = "svc-500", Hops = hops });

        Assert.Equal(TopologyMode.Neighbourhood, view.Mode);
        Assert.Equal(expected, view.Nodes.Count);
        Assert.True(Assert.Single(view.Nodes, n => n.Focus).Id == "svc-500");
        Assert.Contains(view.Nodes, n => n.Id == "svc-499");
        Assert.Contains(view.Nodes, n => n.Id == "svc-531");
    }

    [Fact]
    public void Reduce_FilterByHealthShowAndHide_OnlyMatchesOrAllButThem()
    {
        var (graph, owners) = Mesh(1000);

        var failing = TopologyReducer.Reduce(graph, owners, new TopologyQuery { Health = Health.Failing });
        var hidden = TopologyReducer.Reduce(graph, owners, new TopologyQuery { Health = Health.Failing, FilterMode = FilterMode.Hide, Owner = "TEAM-1" });

        Assert.Equal(TopologyMode.Whole, failing.Mode);
        Assert.All(failing.Nodes, n => Assert.Equal(Health.Failing, n.Health));
        Assert.Equal(31, failing.Nodes.Count);
        Assert.DoesNotContain(hidden.Nodes, n => n.Owner == "team-1" && n.Health == Health.Failing);
    }

    [Theory]
    [InlineData(123.4, 120)]
    [InlineData(0.01234, 0.012)]
    [InlineData(0, 0)]
    public void Round2_Value_TwoSignificantDigits(double value, double expected) =>
        Assert.Equal(expected, TopologyReducer.Round2(value), 9);
}

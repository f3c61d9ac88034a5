using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Fleet;
using MeshPortal.UnitTests.Shared;

namespace MeshPortal.UnitTests.Portal.Telemetry;

public sealed class TopologyBuilderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);

    private static (long, TelemetryRecord) Record(long secondsAgo, string subset, int status, long count, double latencyMs = 4) =>
        (Now.ToUnixTimeSeconds() - secondsAgo, new TelemetryRecord
        {
            Source = "frontend", Route = "catalog", Service = "catalog", Subset = subset, StatusClass = status, Count = count,
            Latency = [.. Enumerable.Range(0, LatencyBuckets.Count).Select(i => i == LatencyBuckets.IndexOf(latencyMs) ? count : 0L)],
        });

    [Fact]
    public void Build_DeniedCalls_CountedApartAndNotErrors()
    {
        var denied = Record(1, "v1", 4, 10);
        var records = new[] { Record(2, "v1", 2, 20), (denied.Item1, denied.Item2 with { Denied = true }) };

        var edge = TopologyBuilder.Build(TestConfigs.Demo(), records, 60, Now).Edges.Single();

        // Per second of the two seconds the edge has existed, like its rate.
        Assert.Equal(15, edge.Rps);
        Assert.Equal(5, edge.DeniedRps);
        Assert.Equal(0, edge.ErrorRate);
    }

    [Fact]
    public void Build_TwoSubsets_RatesSplitAndHealthPerEdge()
    {
        var records = new[]
        {
            Record(2, "v1", 2, 70), Record(1, "v1", 2, 70),
            Record(2, "v2", 2, 27), Record(1, "v2", 5, 3), Record(1, "v2", 2, 30),
        };

        var graph = TopologyBuilder.Build(TestConfigs.Demo(), records, 60, Now);

        var v1 = graph.Edges.Single(e => e.Subset == "v1");
        var v2 = graph.Edges.Single(e => e.Subset == "v2");
        Assert.Equal(70, v1.Rps);
        Assert.Equal(30, v2.Rps);
        Assert.Equal(70, v1.SplitPercent);
        Assert.Equal(0.05, v2.ErrorRate, 3);
        Assert.Equal(Health.Healthy, v1.Health);
        Assert.Equal(Health.Degraded, v2.Health);
        Assert.Equal(5, v1.P99);
    }

    [Fact]
    public void Build_FailingOverTenPercent_Failing()
    {
        var graph = TopologyBuilder.Build(TestConfigs.Demo(), [Record(1, "v1", 5, 20), Record(1, "v1", 2, 80)], 60, Now);
        Assert.Equal(Health.Failing, Assert.Single(graph.Edges).Health);
        Assert.Equal(Health.Failing, graph.Nodes.Single(n => n.Id == "catalog").Health);
    }

    [Fact]
    public void Build_LongGoodPastThenRecentFailures_FailingOnTheRecentSeconds()
    {
        var past = Enumerable.Range(11, 50).Select(ago => Record(ago, "v1", 2, 60));
        var recent = Enumerable.Range(1, 5).SelectMany(ago => new[] { Record(ago, "v1", 2, 10), Record(ago, "v1", 5, 10) });

        var edge = Assert.Single(TopologyBuilder.Build(TestConfigs.Demo(), [.. past, .. recent], 900, Now).Edges);

        Assert.Equal(0.5, edge.ErrorRate, 3);
        Assert.Equal(Health.Failing, edge.Health);
    }

    [Fact]
    public void Build_CallerOutsideCatalog_ExternalNode()
    {
        var graph = TopologyBuilder.Build(TestConfigs.Demo(), [Record(1, "v1", 2, 10)], 60, Now);
        Assert.True(graph.Nodes.Single(n => n.Id == "frontend").External);
        Assert.Equal(["v1", "v2"], graph.Nodes.Single(n => n.Id == "catalog").Subsets);
    }

    [Fact]
    public void Build_InterleavedSourcesAndSubsets_SplitPerSourceAndServiceInOrdinalOrder()
    {
        static (long, TelemetryRecord) Call(string source, string service, string subset, long count) =>
            (Now.ToUnixTimeSeconds() - 1, Record(1, subset, 2, count).Item2 with { Source = source, Route = service, Service = service });
        var records = new[]
        {
            Call("b", "catalog", "v2", 30), Call("a", "inventory", "v1", 5), Call("b", "catalog", "v1", 10),
            Call("a", "catalog", "v1", 25), Call("B", "catalog", "v1", 7), Call("a", "catalog", "v2", 75),
        };

        var graph = TopologyBuilder.Build(TestConfigs.Demo(), records, 60, Now);

        Assert.Equal(
            [("B", "catalog", "v1", 100.0), ("a", "catalog", "v1", 25), ("a", "catalog", "v2", 75), ("a", "inventory", "v1", 100), ("b", "catalog", "v1", 25), ("b", "catalog", "v2", 75)],
            graph.Edges.Select(e => (e.Source, e.Target, e.Subset, e.SplitPercent)));
        Assert.Equal(147, graph.Nodes.Single(n => n.Id == "catalog").Rps);
        Assert.Equal(["B", "a", "b"], graph.Nodes.Where(n => n.External).Select(n => n.Id));
    }
}

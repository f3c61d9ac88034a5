using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Portal.Telemetry;

public enum Health
{
    Idle,
    Healthy,
    Degraded,
    Failing,
}

public sealed record TopologyNode(string Id, IReadOnlyList<string> Subsets, double Rps, double ErrorRate, Health Health, bool External);

/// <param name="DeniedRps">Calls the target's access policy refused, per second (part of <paramref name="Rps"/>).</param>
public sealed record TopologyEdge(
    string Source, string Target, string Subset, double Rps, double ErrorRate, double P50, double P99, double SplitPercent, Health Health, double DeniedRps = 0);

public sealed record TopologyGraph(int WindowSeconds, DateTimeOffset At, IReadOnlyList<TopologyNode> Nodes, IReadOnlyList<TopologyEdge> Edges);

/// <summary>
/// Folds per-second telemetry into the service graph: one node per service (and per calling source
/// outside the catalog), one edge per (source, service, subset), with merged latency histograms.
/// </summary>
public static class TopologyBuilder
{
    public const double DegradedAt = 0.001;
    public const double FailingAt = 0.10;

    /// <summary>
    /// Errors and health are judged on the last few seconds, whatever the window: a backend that began
    /// failing ten seconds ago is failing now, even if a quarter of an hour of good traffic precedes it.
    /// </summary>
    public const int HealthSeconds = 10;

    public static Health HealthOf(double errorRate, double rps) =>
        rps <= 0 ? Health.Idle : errorRate >= FailingAt ? Health.Failing : errorRate >= DegradedAt ? Health.Degraded : Health.Healthy;

    /// <summary>The graph of raw records: each is folded into its edge's totals first.</summary>
    public static TopologyGraph Build(MeshConfig config, IReadOnlyList<(long Second, TelemetryRecord Record)> records, int windowSeconds, DateTimeOffset at)
    {
        var recentAfter = at.ToUnixTimeSeconds() - HealthSeconds;
        var totals = new Dictionary<(string Source, string Service, string Subset), EdgeTotals>();
        foreach (var (second, record) in records)
        {
            var key = (record.Source, record.Service, record.Subset);
            if (!totals.TryGetValue(key, out var edge))
            {
                totals[key] = edge = new EdgeTotals(second);
            }

            edge.Add(second, record, second > recentAfter);
        }

        return Build(config, totals.Select(t => (t.Key.Source, t.Key.Service, t.Key.Subset, t.Value)), windowSeconds, at);
    }

    /// <summary>The graph of each edge's totals over the window (<see cref="EdgeSeries"/>): linear in edges.</summary>
    internal static TopologyGraph Build(
        MeshConfig config, IEnumerable<(string Source, string Service, string Subset, EdgeTotals Totals)> edgeTotals, int windowSeconds, DateTimeOffset at)
    {
        var edges = edgeTotals.Select(t => t.Totals.ToEdge(t.Source, t.Service, t.Subset, SpanSeconds(t.Totals.FirstSecond, at, windowSeconds))).ToList();

        // Split percentages: the share of each subset among the edges from one source to one service.
        // Totals and incoming edges are looked up, not searched: sources are many when callers set the header.
        var totals = new Dictionary<(string, string), double>();
        foreach (var e in edges)
        {
            totals[(e.Source, e.Target)] = totals.GetValueOrDefault((e.Source, e.Target)) + e.Rps;
        }

        edges = [.. edges.Select(e =>
        {
            var total = totals[(e.Source, e.Target)];
            return e with { SplitPercent = total > 0 ? Math.Round(100 * e.Rps / total, 1) : 0 };
        // Ordinal: the same order as the default comparer under invariant globalization, without its detour per comparison.
        }).OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Target, StringComparer.Ordinal).ThenBy(e => e.Subset, StringComparer.Ordinal)];

        var incoming = edges.ToLookup(e => e.Target);
        var nodes = config.Services.Select(s => Node(s.Name, [.. s.Subsets.Select(x => x.Name)], incoming[s.Name], external: false)).ToList();
        var known = nodes.Select(n => n.Id).ToHashSet();
        nodes.AddRange(edges.SelectMany(e => new[] { e.Source, e.Target }).Distinct().Where(id => !known.Contains(id))
            .Select(id => Node(id, [], incoming[id], external: true)));
        return new TopologyGraph(windowSeconds, at, [.. nodes.OrderBy(n => n.Id, StringComparer.Ordinal)], edges);
    }

    /// <summary>
    /// Rates are per second of the window the edge has existed in, so traffic that started ten
    /// seconds ago shows its real rate at once instead of a sixth of it in a one-minute window.
    /// </summary>
    private static int SpanSeconds(long firstSecond, DateTimeOffset at, int windowSeconds) =>
        (int)Math.Clamp(at.ToUnixTimeSeconds() - firstSecond, 1, windowSeconds);

    private static TopologyNode Node(string id, IReadOnlyList<string> subsets, IEnumerable<TopologyEdge> incomingEdges, bool external)
    {
        var incoming = incomingEdges.ToList();
        var rps = incoming.Sum(e => e.Rps);
        var errorRate = rps > 0 ? incoming.Sum(e => e.Rps * e.ErrorRate) / rps : 0;
        return new TopologyNode(id, subsets, Math.Round(rps, 2), errorRate, HealthOf(errorRate, rps), external);
    }
}

/// <summary>One edge's counts over the window, and over the last <see cref="TopologyBuilder.HealthSeconds"/> for its health.</summary>
internal sealed class EdgeTotals(long firstSecond)
{
    public long FirstSecond { get; private set; } = firstSecond;
    public long[] Histogram { get; } = new long[LatencyBuckets.Count];
    public long Count { get; set; }
    public long Errors { get; set; }
    public long Denied { get; set; }
    public long RecentCount { get; set; }
    public long RecentErrors { get; set; }
    public bool HasRecent { get; set; }

    /// <summary>No response, or a 5xx: what the graph counts as failed.</summary>
    public static bool IsError(TelemetryRecord record) => record.StatusClass is 5 or 0;

    public void Add(long second, TelemetryRecord record, bool recent)
    {
        FirstSecond = Math.Min(FirstSecond, second);
        var failed = IsError(record) ? record.Count : 0;
        Count += record.Count;
        Errors += failed;
        Denied += record.Denied ? record.Count : 0;
        if (recent)
        {
            HasRecent = true;
            RecentCount += record.Count;
            RecentErrors += failed;
        }

        for (var i = 0; i < Math.Min(Histogram.Length, record.Latency.Count); i++)
        {
            Histogram[i] += record.Latency[i];
        }
    }

    /// <summary>Errors are judged on the recent seconds when there are any, else on the whole window.</summary>
    public TopologyEdge ToEdge(string source, string service, string subset, int spanSeconds)
    {
        var rps = (double)Count / Math.Max(1, spanSeconds);
        var (judged, failed) = HasRecent ? (RecentCount, RecentErrors) : (Count, Errors);
        var errorRate = judged > 0 ? (double)failed / judged : 0;
        return new TopologyEdge(source, service, subset, Math.Round(rps, 2), errorRate,
            LatencyBuckets.Quantile(Histogram, 0.5), LatencyBuckets.Quantile(Histogram, 0.99), 0, TopologyBuilder.HealthOf(errorRate, rps),
            Math.Round((double)Denied / Math.Max(1, spanSeconds), 2));
    }
}

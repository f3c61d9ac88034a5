using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Portal.Telemetry;

/// <summary>Named explicitly so that <see cref="TopologyJson"/> writes the same camelCase values as the API's options.</summary>
public enum Health
{
    [JsonStringEnumMemberName("idle")]
    Idle,
    [JsonStringEnumMemberName("healthy")]
    Healthy,
    [JsonStringEnumMemberName("degraded")]
    Degraded,
    [JsonStringEnumMemberName("failing")]
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
                totals[key] = edge = new EdgeTotals().Reset(second);
            }

            edge.Add(second, record, second > recentAfter);
        }

        EdgeRow[] rows = [.. totals.Select(t => t.Value.ToRow(t.Key.Source, t.Key.Service, t.Key.Subset, at, windowSeconds))];
        return Build(config, rows, windowSeconds, at);
    }

    /// <summary>
    /// The graph of each edge's totals over the window (<see cref="EdgeSeries"/>): a sort, then one pass over
    /// the edges and one over the services. <paramref name="rows"/> is sorted in place.
    /// </summary>
    internal static TopologyGraph Build(MeshConfig config, Span<EdgeRow> rows, int windowSeconds, DateTimeOffset at)
    {
        rows.Sort(static (a, b) =>
        {
            // Ordinal: the same order as the default comparer under invariant globalization, without its detour per comparison.
            var order = string.CompareOrdinal(a.Source, b.Source);
            order = order != 0 ? order : string.CompareOrdinal(a.Target, b.Target);
            return order != 0 ? order : string.CompareOrdinal(a.Subset, b.Subset);
        });

        var edges = new TopologyEdge[rows.Length];
        var incoming = new Dictionary<string, Incoming>(config.Services.Count, StringComparer.Ordinal);
        for (var start = 0; start < rows.Length;)
        {
            // Split percentages: the share of each subset among the edges from one source to one service,
            // which the sort has put next to each other.
            var end = start;
            double total = 0;
            while (end < rows.Length && rows[end].Source == rows[start].Source && rows[end].Target == rows[start].Target)
            {
                total += rows[end++].Rps;
            }

            for (var i = start; i < end; i++)
            {
                var e = rows[i];
                edges[i] = new TopologyEdge(e.Source, e.Target, e.Subset, e.Rps, e.ErrorRate, e.P50, e.P99,
                    total > 0 ? Math.Round(100 * e.Rps / total, 1) : 0, e.Health, e.DeniedRps);
                ref var target = ref CollectionsMarshal.GetValueRefOrAddDefault(incoming, e.Target, out _);
                target.Rps += e.Rps;
                target.FailedRps += e.Rps * e.ErrorRate;
                CollectionsMarshal.GetValueRefOrAddDefault(incoming, e.Source, out _);
            }

            start = end;
        }

        var nodes = new List<TopologyNode>(config.Services.Count + incoming.Count);
        foreach (var service in config.Services)
        {
            ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(incoming, service.Name, out _);
            known.InCatalog = true;
            nodes.Add(Node(service.Name, [.. service.Subsets.Select(x => x.Name)], known, external: false));
        }

        foreach (var (id, external) in incoming)
        {
            if (!external.InCatalog)
            {
                nodes.Add(Node(id, [], external, external: true));
            }
        }

        nodes.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new TopologyGraph(windowSeconds, at, nodes, edges);
    }

    private static TopologyNode Node(string id, IReadOnlyList<string> subsets, Incoming incoming, bool external)
    {
        var errorRate = incoming.Rps > 0 ? incoming.FailedRps / incoming.Rps : 0;
        return new TopologyNode(id, subsets, Math.Round(incoming.Rps, 2), errorRate, HealthOf(errorRate, incoming.Rps), external);
    }

    /// <summary>A node's incoming traffic, summed in the order of its edges; every node of the graph has one.</summary>
    private struct Incoming
    {
        public double Rps;
        public double FailedRps;
        public bool InCatalog;
    }
}

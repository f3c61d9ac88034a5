namespace MeshPortal.Portal.Telemetry;

/// <summary>
/// Reduces the full service graph to what one page shows: filtered by name, owner and health, then
/// the whole mesh when it is small, a summary by owner when it is large (the busiest and the failing
/// services stay on their own, expanded groups show their members), or a service's neighbourhood.
/// Linear in nodes + edges, so it runs on every tick for every open page.
/// </summary>
public static class TopologyReducer
{
    public const string GroupPrefix = "group:";
    public const string ExternalOwner = "external";
    public const string NoOwner = "(no owner)";

    public static TopologyView Reduce(TopologyGraph graph, IReadOnlyDictionary<string, string> owners, TopologyQuery query)
    {
        string OwnerOf(TopologyNode n) => n.External ? ExternalOwner : owners.GetValueOrDefault(n.Id) is { Length: > 0 } o ? o : NoOwner;

        var visible = graph.Nodes.Where(n => Matches(n, OwnerOf(n), query)).ToDictionary(n => n.Id, StringComparer.Ordinal);
        var edges = graph.Edges.Where(e => visible.ContainsKey(e.Source) && visible.ContainsKey(e.Target)).ToList();
        var services = graph.Nodes.Count(n => !n.External);
        if (query.Focus is { } focus && visible.ContainsKey(focus))
        {
            var kept = Neighbourhood(focus, Math.Clamp(query.Hops, 1, 2), edges);
            return new TopologyView(TopologyMode.Neighbourhood, services, graph.Edges.Count,
                [.. kept.Select(id => Node(visible[id], OwnerOf(visible[id]), id == focus))],
                [.. edges.Where(e => kept.Contains(e.Source) && kept.Contains(e.Target)).Select(Edge)]);
        }

        if (visible.Count <= TopologyQuery.WholeUpTo)
        {
            return new TopologyView(TopologyMode.Whole, services, graph.Edges.Count,
                [.. visible.Values.Select(n => Node(n, OwnerOf(n), false))], [.. edges.Select(Edge)]);
        }

        return Summary(visible.Values.ToList(), edges, OwnerOf, query, services, graph.Edges.Count);
    }

    /// <summary>Two significant digits: 123.4 → 120, 0.01234 → 0.012.</summary>
    public static double Round2(double value)
    {
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return 0;
        }

        var scale = Math.Pow(10, 2 - Math.Ceiling(Math.Log10(Math.Abs(value))));
        return Math.Round(value * scale) / scale;
    }

    private static bool Matches(TopologyNode node, string owner, TopologyQuery query)
    {
        if (!query.HasFilter)
        {
            return true;
        }

        var match = (query.Name.Length == 0 || node.Id.Contains(query.Name, StringComparison.OrdinalIgnoreCase))
            && (query.Owner.Length == 0 || string.Equals(owner, query.Owner, StringComparison.OrdinalIgnoreCase))
            && (query.Health is null || node.Health == query.Health);
        return match == (query.FilterMode == FilterMode.Show);
    }

    private static HashSet<string> Neighbourhood(string focus, int hops, List<TopologyEdge> edges)
    {
        var outgoing = edges.ToLookup(e => e.Source, e => e.Target, StringComparer.Ordinal);
        var incoming = edges.ToLookup(e => e.Target, e => e.Source, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal) { focus };
        var frontier = new List<string> { focus };
        for (var hop = 0; hop < hops; hop++)
        {
            frontier = [.. frontier.SelectMany(id => outgoing[id].Concat(incoming[id])).Where(kept.Add)];
        }

        return kept;
    }

    private static TopologyView Summary(
        List<TopologyNode> nodes, List<TopologyEdge> edges, Func<TopologyNode, string> ownerOf, TopologyQuery query, int services, int totalEdges)
    {
        var featured = nodes.Where(n => !n.External).OrderByDescending(n => n.Rps).ThenBy(n => n.Id, StringComparer.Ordinal).Take(query.Busiest)
            .Concat(nodes.Where(n => n.Health is Health.Failing or Health.Degraded)
                .OrderByDescending(n => n.Health).ThenByDescending(n => n.ErrorRate).ThenBy(n => n.Id, StringComparer.Ordinal).Take(query.Failing))
            .Concat(nodes.Where(n => query.Expanded.Contains(ownerOf(n))))
            .Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        string Rep(string id) => featured.Contains(id) ? id : GroupPrefix + ownerOf(byId[id]);

        var viewNodes = nodes.Where(n => featured.Contains(n.Id)).Select(n => Node(n, ownerOf(n), false)).ToList();
        viewNodes.AddRange(nodes.Where(n => !featured.Contains(n.Id)).GroupBy(ownerOf, StringComparer.Ordinal).Select(g =>
        {
            var (rps, errorRate) = Weighted(g.Select(n => (n.Rps, n.ErrorRate)));
            return new ViewNode(GroupPrefix + g.Key, $"{g.Key} · {g.Count()}", ViewNodeKind.Group, g.Key,
                TopologyBuilder.HealthOf(errorRate, rps), Round2(rps), Round2(errorRate), g.Count(), "", false);
        }));

        var viewEdges = new List<ViewEdge>();
        foreach (var g in edges.GroupBy(e => (Source: Rep(e.Source), Target: Rep(e.Target))))
        {
            if (g.Key.Source == g.Key.Target && g.Key.Source.StartsWith(GroupPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!g.Key.Source.StartsWith(GroupPrefix, StringComparison.Ordinal) && !g.Key.Target.StartsWith(GroupPrefix, StringComparison.Ordinal))
            {
                viewEdges.AddRange(g.Select(Edge));
                continue;
            }

            var (rps, errorRate) = Weighted(g.Select(e => (e.Rps, e.ErrorRate)));
            viewEdges.Add(new ViewEdge($"{g.Key.Source}->{g.Key.Target}", g.Key.Source, g.Key.Target, "", TopologyBuilder.HealthOf(errorRate, rps),
                Round2(rps), Round2(errorRate), g.Max(e => e.P50), g.Max(e => e.P99), 100, g.Count(), Round2(g.Sum(e => e.DeniedRps))));
        }

        return new TopologyView(TopologyMode.Summary, services, totalEdges, viewNodes, viewEdges);
    }

    private static (double Rps, double ErrorRate) Weighted(IEnumerable<(double Rps, double ErrorRate)> parts)
    {
        double rps = 0, errors = 0;
        foreach (var (r, e) in parts)
        {
            rps += r;
            errors += r * e;
        }

        return (rps, rps > 0 ? errors / rps : 0);
    }

    private static ViewNode Node(TopologyNode n, string owner, bool focus) =>
        new(n.Id, n.Id, n.External ? ViewNodeKind.External : ViewNodeKind.Service, owner, n.Health, Round2(n.Rps), Round2(n.ErrorRate), 1,
            string.Join(" · ", n.Subsets), focus);

    public static ViewEdge Edge(TopologyEdge e) =>
        new($"{e.Source}->{e.Target}/{e.Subset}", e.Source, e.Target, e.Subset, e.Health, Round2(e.Rps), Round2(e.ErrorRate), e.P50, e.P99,
            Math.Round(e.SplitPercent), 1, Round2(e.DeniedRps));
}

namespace MeshPortal.Portal.Telemetry;

/// <summary>The delta that turns the view a page has drawn into the next one.</summary>
public static class TopologyDiff
{
    /// <summary>Rates that moved less than this share are not worth a message: steady traffic jitters by a few percent.</summary>
    public const double RateTolerance = 0.10;

    /// <summary>
    /// A reset (another mode or focus) carries the whole next view and tells the page to lay it out
    /// afresh; otherwise only added or significantly changed elements and the ids of removed ones.
    /// Drawn is what the page holds afterwards: the next view, keeping the elements that were not sent.
    /// </summary>
    public static (TopologyDelta Delta, TopologyView Drawn) Between(TopologyView drawn, TopologyView next, bool reset)
    {
        if (reset || drawn.Mode != next.Mode)
        {
            return (new TopologyDelta(next.Mode, true, next.Nodes, [], next.Edges, []), next);
        }

        var oldNodes = drawn.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var oldEdges = drawn.Edges.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var nodes = next.Nodes.Select(n => oldNodes.TryGetValue(n.Id, out var old) && !Changed(old, n) ? old : n).ToList();
        var edges = next.Edges.Select(e => oldEdges.TryGetValue(e.Id, out var old) && !Changed(old, e) ? old : e).ToList();
        var newNodes = next.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var newEdges = next.Edges.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var delta = new TopologyDelta(next.Mode, false,
            [.. nodes.Where(n => !oldNodes.TryGetValue(n.Id, out var old) || !ReferenceEquals(old, n))],
            [.. drawn.Nodes.Where(n => !newNodes.Contains(n.Id)).Select(n => n.Id)],
            [.. edges.Where(e => !oldEdges.TryGetValue(e.Id, out var old) || !ReferenceEquals(old, e))],
            [.. drawn.Edges.Where(e => !newEdges.Contains(e.Id)).Select(e => e.Id)]);
        return (delta, next with { Nodes = nodes, Edges = edges });
    }

    public static bool Changed(ViewNode before, ViewNode after) =>
        before with { Rps = after.Rps, ErrorRate = after.ErrorRate } != after || Moved(before.Rps, after.Rps) || Moved(before.ErrorRate, after.ErrorRate);

    public static bool Changed(ViewEdge before, ViewEdge after) =>
        before with { Rps = after.Rps, ErrorRate = after.ErrorRate } != after || Moved(before.Rps, after.Rps) || Moved(before.ErrorRate, after.ErrorRate);

    private static bool Moved(double before, double after) =>
        before != after && (before == 0 || after == 0 || Math.Abs(after - before) > RateTolerance * Math.Max(Math.Abs(before), Math.Abs(after)));
}

namespace MeshPortal.Portal.Telemetry;

/// <summary>The delta that turns the view a page has drawn into the next one.</summary>
public static class TopologyDiff
{
    /// <summary>
    /// A reset (another mode or focus) carries the whole next view and tells the page to lay it out
    /// afresh; otherwise only added or changed elements and the ids of removed ones.
    /// </summary>
    public static TopologyDelta Between(TopologyView before, TopologyView after, bool reset)
    {
        if (reset || before.Mode != after.Mode)
        {
            return new TopologyDelta(after.Mode, true, after.Nodes, [], after.Edges, []);
        }

        var oldNodes = before.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var oldEdges = before.Edges.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var newNodes = after.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var newEdges = after.Edges.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        return new TopologyDelta(after.Mode, false,
            [.. after.Nodes.Where(n => !oldNodes.TryGetValue(n.Id, out var old) || old != n)],
            [.. before.Nodes.Where(n => !newNodes.Contains(n.Id)).Select(n => n.Id)],
            [.. after.Edges.Where(e => !oldEdges.TryGetValue(e.Id, out var old) || old != e)],
            [.. before.Edges.Where(e => !newEdges.Contains(e.Id)).Select(e => e.Id)]);
    }
}

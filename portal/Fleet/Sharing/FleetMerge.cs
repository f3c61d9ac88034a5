namespace MeshPortal.Portal.Fleet;

/// <summary>What the other replicas shared: their gateways' rows and their convergences.</summary>
public sealed record SharedFleet(IReadOnlyList<GatewayStatus> Gateways, IReadOnlyList<RevisionConvergence> Convergences)
{
    public static readonly SharedFleet Empty = new([], []);
}

/// <summary>One fleet out of every replica's part of it.</summary>
public static class FleetMerge
{
    /// <summary>
    /// One row per gateway process: a gateway that moved to another replica leaves a DISCONNECTED
    /// row behind on the first, and the live row wins over it; otherwise the most recently seen does.
    /// </summary>
    public static IReadOnlyList<GatewayStatus> Statuses(IReadOnlyList<GatewayStatus> local, IReadOnlyList<GatewayStatus> others) =>
        others.Count == 0
            ? local
            : [.. local.Concat(others)
                .GroupBy(s => (s.Node, s.GatewayId))
                .Select(g => g.OrderBy(s => s.State == GatewaySyncState.Disconnected ? 1 : 0).ThenByDescending(s => s.LastSeen).First())
                .OrderBy(s => s.Node, StringComparer.Ordinal).ThenBy(s => s.GatewayId, StringComparer.Ordinal)];

    /// <summary>
    /// Each replica records a revision once its own gateways have it; the fleet took as long as the
    /// slowest replica's part, and counts every replica's gateways.
    /// </summary>
    public static IReadOnlyList<RevisionConvergence> Convergences(
        IReadOnlyList<RevisionConvergence> local, IReadOnlyList<RevisionConvergence> others) =>
        others.Count == 0
            ? local
            : [.. local.Concat(others)
                .GroupBy(c => c.Revision)
                .Select(g => new RevisionConvergence(g.Key, g.Max(c => c.Milliseconds), g.Sum(c => c.Gateways)))
                .OrderByDescending(c => c.Revision)];
}

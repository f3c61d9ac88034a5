namespace MeshPortal.Portal.Fleet;

/// <summary>What the other live replicas shared: their gateways' rows and their convergences.</summary>
public sealed record SharedFleet(int Replicas, IReadOnlyList<GatewayStatus> Gateways, IReadOnlyList<RevisionConvergence> Convergences)
{
    public static readonly SharedFleet Empty = new(0, [], []);
}

/// <summary>One fleet out of every replica's part of it.</summary>
public static class FleetMerge
{
    /// <summary>
    /// This replica's rows as they are, plus the others' rows of gateway processes it does not hold
    /// itself. A gateway that moved between replicas leaves a DISCONNECTED row behind on the first:
    /// the live row wins over it, wherever each one is.
    /// </summary>
    public static IReadOnlyList<GatewayStatus> Statuses(IReadOnlyList<GatewayStatus> local, IReadOnlyList<GatewayStatus> others)
    {
        if (others.Count == 0)
        {
            return local;
        }

        var localLive = local.Where(IsLive).Select(Key).ToHashSet();
        var remote = others.Where(s => !localLive.Contains(Key(s)))
            .GroupBy(Key)
            .Select(g => g.OrderBy(s => IsLive(s) ? 0 : 1).ThenByDescending(s => s.LastSeen).First())
            .ToList();
        var remoteLive = remote.Where(IsLive).Select(Key).ToHashSet();
        return [.. local.Where(s => IsLive(s) || !remoteLive.Contains(Key(s)))
            .Concat(remote.Where(s => IsLive(s) || !local.Any(l => Key(l) == Key(s))))
            .OrderBy(s => s.Node, StringComparer.Ordinal).ThenBy(s => s.GatewayId, StringComparer.Ordinal)];
    }

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
                .Select(g => new RevisionConvergence(g.Key, g.Max(c => c.Milliseconds), g.Sum(c => c.Gateways), g.Max(c => c.ConvergedAt)))
                .OrderByDescending(c => c.Revision)];

    private static bool IsLive(GatewayStatus status) => status.State != GatewaySyncState.Disconnected;

    private static (string Node, string GatewayId) Key(GatewayStatus status) => (status.Node, status.GatewayId);
}

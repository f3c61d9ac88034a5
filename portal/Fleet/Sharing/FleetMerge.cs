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
    /// slowest replica's part, and counts every replica's gateways. The newest revision is left out while
    /// another replica lists a live gateway behind it: that replica has not recorded it yet (it shares
    /// about once a second), or it stopped and its last rows linger until they expire. Reported at once,
    /// the head would count fewer gateways than the fleet lists as live.
    /// </summary>
    public static IReadOnlyList<RevisionConvergence> Convergences(IReadOnlyList<RevisionConvergence> local, SharedFleet others)
    {
        if (others.Gateways.Count == 0 && others.Convergences.Count == 0)
        {
            return local;
        }

        var merged = local.Concat(others.Convergences)
            .GroupBy(c => c.Revision)
            .Select(g => new RevisionConvergence(g.Key, g.Max(c => c.Milliseconds), g.Sum(c => c.Gateways), g.Max(c => c.ConvergedAt)))
            .OrderByDescending(c => c.Revision)
            .ToList();
        if (merged.Count > 0 && others.Gateways.Any(g => IsLive(g) && g.AppliedRevision < merged[0].Revision))
        {
            merged.RemoveAt(0);
        }

        return merged;
    }

    private static bool IsLive(GatewayStatus status) => status.State != GatewaySyncState.Disconnected;

    private static (string Node, string GatewayId) Key(GatewayStatus status) => (status.Node, status.GatewayId);
}

namespace MeshPortal.Portal.Store;

/// <summary>One line per event for the history list: what changed, in the words an operator uses.</summary>
public static class EventSummary
{
    public static string Describe(MeshEvent e) => e switch
    {
        ServiceDefined { Again: true } d => $"service '{d.Service.Name}' created again: subsets {Subsets(d.Service)}",
        ServiceDefined d => $"service {d.Service.Name}: subsets {Subsets(d.Service)}",
        ServiceRemoved r => $"service {r.Name} removed",
        ServiceAccessChanged a => $"service {a.Service} callable by {Callers(a.Access)}",
        RouteDefined { Again: true } d => $"route '{d.Route.Id}' created again: {Split(d.Route.Backends)}",
        RouteDefined d => $"route {d.Route.Id} set: {Split(d.Route.Backends)}",
        RouteSplitChanged s => $"route {s.RouteId} split: {Split(s.Backends)}",
        RouteRemoved r => $"route {r.RouteId} removed",
        AccountEvent a => AccountEvents.Describe(a),
        _ => e.GetType().Name,
    };

    /// <summary>The callers of a policy in words: everyone, nobody, or the names.</summary>
    public static string Callers(Shared.Config.AccessPolicy? access) => access switch
    {
        null => "everyone",
        { Allow.Count: 0 } => "nobody",
        _ => string.Join(", ", access.Allow),
    };

    private static string Subsets(Shared.Config.ServiceConfig service) =>
        string.Join(", ", service.Subsets.Select(s => $"{s.Name} ({s.Instances.Count} instance{(s.Instances.Count == 1 ? "" : "s")})"));

    private static string Split(IReadOnlyList<Shared.Config.BackendRef> backends)
    {
        var total = Math.Max(1, backends.Sum(b => b.Weight));
        return string.Join(", ", backends.Select(b => $"{b.Service}/{b.Subset} {100.0 * b.Weight / total:0.#}%"));
    }
}

namespace MeshPortal.Portal.Store;

/// <summary>One line per event for the history list: what changed, in the words an operator uses.</summary>
public static class EventSummary
{
    public static string Describe(MeshEvent e) => e switch
    {
        ServiceDefined d => $"service {d.Service.Name}: subsets {string.Join(", ", d.Service.Subsets.Select(s => $"{s.Name} ({s.Instances.Count} instance{(s.Instances.Count == 1 ? "" : "s")})"))}",
        ServiceRemoved r => $"service {r.Name} removed",
        RouteDefined d => $"route {d.Route.Id} set: {Split(d.Route.Backends)}",
        RouteSplitChanged s => $"route {s.RouteId} split: {Split(s.Backends)}",
        RouteRemoved r => $"route {r.RouteId} removed",
        AccountEvent a => AccountEvents.Describe(a),
        _ => e.GetType().Name,
    };

    private static string Split(IReadOnlyList<Shared.Config.BackendRef> backends)
    {
        var total = Math.Max(1, backends.Sum(b => b.Weight));
        return string.Join(", ", backends.Select(b => $"{b.Service}/{b.Subset} {100.0 * b.Weight / total:0.#}%"));
    }
}

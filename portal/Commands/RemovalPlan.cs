using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Telemetry;

namespace MeshPortal.Portal.Commands;

/// <summary>One route or service a change would take away, with the requests it served in the last <see cref="RemovalPlan.Window"/>.</summary>
public sealed record Removal(string Kind, string Name, long Requests);

/// <summary>What a change takes away from the mesh, judged against live traffic.</summary>
public sealed record RemovalPlan(IReadOnlyList<Removal> Removals, bool LeavesNoRoutes)
{
    /// <summary>Traffic this recent counts as live: the gateways report every second.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    /// <summary>Removing something that served requests, or every route, is not done on a single click.</summary>
    public bool NeedsConfirmation => LeavesNoRoutes || Removals.Any(r => r.Requests > 0);

    public string Describe()
    {
        var parts = Removals.Select(r => $"{r.Kind} '{r.Name}' ({r.Requests} request{(r.Requests == 1 ? "" : "s")} in the last {Window.TotalSeconds:0} s)");
        var what = Removals.Count == 0 ? "nothing" : string.Join(", ", parts);
        return $"this change removes {what}" + (LeavesNoRoutes ? " and leaves the mesh with no routes" : "");
    }

    public static RemovalPlan Between(MeshState head, MeshState next, TelemetryStore telemetry)
    {
        var routes = head.Routes.Keys.Where(id => !next.Routes.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        var services = head.Services.Keys.Where(n => !next.Services.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var leavesNoRoutes = head.Routes.Count > 0 && next.Routes.Count == 0;
        if (routes.Count + services.Count == 0)
        {
            return new RemovalPlan([], leavesNoRoutes);
        }

        var records = telemetry.Since(Window);
        var byRoute = records.GroupBy(r => r.Record.Route).ToDictionary(g => g.Key, g => g.Sum(r => r.Record.Count));
        var byService = records.GroupBy(r => r.Record.Service).ToDictionary(g => g.Key, g => g.Sum(r => r.Record.Count));
        return new RemovalPlan(
            [
                .. routes.Select(id => new Removal("route", id, byRoute.GetValueOrDefault(id))),
                .. services.Select(name => new Removal("service", name, byService.GetValueOrDefault(name))),
            ],
            leavesNoRoutes);
    }
}

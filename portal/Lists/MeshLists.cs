using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Lists;

/// <summary>A service as the lists show it: its config, its health over the last minute and the routes reaching it.</summary>
public sealed record ServiceRow(ServiceConfig Service, Health Health, double Rps, IReadOnlyList<string> Routes);

/// <summary>
/// Searched, filtered, naturally sorted pages of services and routes, for the API and the pages alike,
/// so a mesh of a thousand services is never sent or drawn whole.
/// </summary>
public sealed class MeshLists(MeshStateCache cache, TelemetryStore telemetry)
{
    public const int HealthWindowSeconds = 60;

    public ListPage<ServiceRow> Services(ListQuery query)
    {
        var state = cache.State;
        var nodes = telemetry.Graph(state.ToConfig(), HealthWindowSeconds).Nodes.ToDictionary(n => n.Id);
        var routesBy = state.Routes.Values
            .SelectMany(r => r.Backends.Select(b => (b.Service, r.Id)).Distinct())
            .ToLookup(x => x.Service, x => x.Id);
        var health = ParseHealth(query.Health);
        var rows = state.Services.Values
            .Where(s => Matches(s.Name, query.Search) && (query.Owner is null || string.Equals(s.Owner, query.Owner, StringComparison.OrdinalIgnoreCase)))
            .Select(s => nodes.TryGetValue(s.Name, out var n)
                ? new ServiceRow(s, n.Health, n.Rps, [.. routesBy[s.Name].Order(NaturalComparer.Instance)])
                : new ServiceRow(s, Health.Idle, 0, [.. routesBy[s.Name].Order(NaturalComparer.Instance)]))
            .Where(r => health is null || r.Health == health);
        return PageOf([.. rows], r => r.Service.Name, query);
    }

    public ListPage<RouteConfig> Routes(ListQuery query)
    {
        var state = cache.State;
        var rows = state.Routes.Values.Where(r =>
            (Matches(r.Id, query.Search) || r.Match.Hosts.Any(h => Matches(h, query.Search)))
            && (query.Service is null || r.Backends.Any(b => b.Service == query.Service))
            && (query.Owner is null || r.Backends.Any(b => string.Equals(state.Services.GetValueOrDefault(b.Service)?.Owner, query.Owner, StringComparison.OrdinalIgnoreCase))));
        return PageOf([.. rows], r => r.Id, query);
    }

    /// <summary>The owners named in the catalog, for the owner filter.</summary>
    public IReadOnlyList<string> Owners() =>
        [.. cache.State.Services.Values.Select(s => s.Owner).Where(o => !string.IsNullOrEmpty(o)).Distinct(StringComparer.OrdinalIgnoreCase).Order(NaturalComparer.Instance)!];

    public IReadOnlyList<string> ServiceNames() => [.. cache.State.Services.Keys.Order(NaturalComparer.Instance)];

    public static Health? ParseHealth(string? value) =>
        Enum.TryParse<Health>(value, ignoreCase: true, out var health) && Enum.IsDefined(health) ? health : null;

    private static bool Matches(string value, string? search) =>
        string.IsNullOrWhiteSpace(search) || value.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase);

    private static ListPage<T> PageOf<T>(List<T> rows, Func<T, string> name, ListQuery query)
    {
        var sorted = query.Descending ? rows.OrderByDescending(name, NaturalComparer.Instance) : rows.OrderBy(name, NaturalComparer.Instance);
        var limit = Math.Clamp(query.Limit, 1, ListQuery.MaxLimit);
        var offset = Math.Max(0, query.Offset);
        return new ListPage<T>([.. sorted.Skip(offset).Take(limit)], rows.Count, offset, limit);
    }
}

using System.Collections.Immutable;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Projections;

/// <summary>
/// The mesh config folded from the log up to <see cref="Revision"/>, with each stream's version
/// (what a writer passes as its expected version).
/// </summary>
public sealed record MeshState
{
    public static MeshState Empty { get; } = new();

    public long Revision { get; init; }
    public ImmutableSortedDictionary<string, ServiceConfig> Services { get; init; } = ImmutableSortedDictionary.Create<string, ServiceConfig>(StringComparer.Ordinal);
    public ImmutableSortedDictionary<string, RouteConfig> Routes { get; init; } = ImmutableSortedDictionary.Create<string, RouteConfig>(StringComparer.Ordinal);
    public ImmutableDictionary<string, long> StreamVersions { get; init; } = ImmutableDictionary<string, long>.Empty;

    public MeshConfig ToConfig() => new() { Services = [.. Services.Values], Routes = [.. Routes.Values] };

    public long StreamVersion(string streamId) => StreamVersions.GetValueOrDefault(streamId);

    // The match index and the routes it was made of: a state made by `with` outside Apply copies the
    // field, and the reference check then rebuilds the index instead of trusting a stale one. One
    // object, so a reader on another thread sees the pair whole.
    private MatchIndex? _matchKeys;

    private sealed record MatchIndex(ImmutableSortedDictionary<string, RouteConfig> Of, ImmutableDictionary<string, string> Keys);

    /// <summary>
    /// Each route's <see cref="MeshValidator.MatchKey"/> → its id: what a route write is checked against
    /// for shadowing. Kept up to date by <see cref="Apply(MeshEvent)"/> one route at a time, built whole only
    /// for a state made otherwise (a snapshot loaded).
    /// </summary>
    public ImmutableDictionary<string, string> RouteByMatchKey
    {
        get
        {
            if (_matchKeys is { } index && ReferenceEquals(index.Of, Routes))
            {
                return index.Keys;
            }

            var keys = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var route in Routes.Values)
            {
                keys.TryAdd(MeshValidator.MatchKey(route), route.Id);
            }

            var built = new MatchIndex(Routes, keys.ToImmutable());
            _matchKeys = built;
            return built.Keys;
        }
    }

    public MeshState Apply(StoredEvent stored) => Apply(stored.Event) with
    {
        Revision = stored.Position,
        StreamVersions = StreamVersions.SetItem(stored.StreamId, stored.StreamVersion),
    };

    public MeshState Apply(MeshEvent e) => e switch
    {
        ServiceDefined d => this with { Services = Services.SetItem(d.Service.Name, d.Service) },
        ServiceRemoved r => this with { Services = Services.Remove(r.Name) },
        ServiceAccessChanged a when Services.TryGetValue(a.Service, out var service) =>
            this with { Services = Services.SetItem(a.Service, service with { Access = a.Access }) },
        RouteDefined d => WithRoute(d.Route.Id, d.Route),
        RouteSplitChanged s when Routes.TryGetValue(s.RouteId, out var route) => WithRoute(s.RouteId, route with { Backends = s.Backends }),
        RouteRemoved r => WithRoute(r.RouteId, null),

        // Account events of the previous store's log held a revision each; carried over, they still do, and change nothing.
        AccountEvent => this,
        _ => throw new InvalidDataException($"cannot apply {e.GetType().Name} to the mesh state"),
    };

    /// <summary>Sets or removes one route, and moves its entry in the match index (when one was built) along with it.</summary>
    private MeshState WithRoute(string id, RouteConfig? route)
    {
        var next = this with { Routes = route is null ? Routes.Remove(id) : Routes.SetItem(id, route) };
        if (_matchKeys is { } index && ReferenceEquals(index.Of, Routes))
        {
            var keys = index.Keys;
            if (Routes.TryGetValue(id, out var old) && keys.TryGetValue(MeshValidator.MatchKey(old), out var owner) && owner == id)
            {
                keys = keys.Remove(MeshValidator.MatchKey(old));
            }

            if (route is not null)
            {
                var key = MeshValidator.MatchKey(route);
                keys = keys.ContainsKey(key) ? keys : keys.Add(key, id);
            }

            next._matchKeys = new MatchIndex(next.Routes, keys);
        }

        return next;
    }
}

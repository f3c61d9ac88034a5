using System.Collections.Immutable;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;

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
        RouteDefined d => this with { Routes = Routes.SetItem(d.Route.Id, d.Route) },
        RouteSplitChanged s when Routes.TryGetValue(s.RouteId, out var route) =>
            this with { Routes = Routes.SetItem(s.RouteId, route with { Backends = s.Backends }) },
        RouteRemoved r => this with { Routes = Routes.Remove(r.RouteId) },

        // Account events of the previous store's log held a revision each; carried over, they still do, and change nothing.
        AccountEvent => this,
        _ => throw new InvalidDataException($"cannot apply {e.GetType().Name} to the mesh state"),
    };
}

using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Shared.Fleet;

/// <summary>
/// The digest of every service and route of one snapshot, by name: what a delta compares (records
/// holding lists do not compare by value, their canonical JSON does). Digests are cached per record
/// instance, so indexing the next revision serialises only the items it changed.
/// </summary>
public sealed class ConfigIndex
{
    private ConfigIndex(MeshSnapshot snapshot, Dictionary<string, ItemDigest> services, Dictionary<string, ItemDigest> routes)
    {
        Snapshot = snapshot;
        Services = services;
        Routes = routes;
        Bytes = services.Values.Sum(d => (long)d.JsonBytes) + routes.Values.Sum(d => (long)d.JsonBytes);
    }

    public MeshSnapshot Snapshot { get; }
    public IReadOnlyDictionary<string, ItemDigest> Services { get; }
    public IReadOnlyDictionary<string, ItemDigest> Routes { get; }

    /// <summary>About the size of the snapshot's JSON: the sum of its services' and routes'.</summary>
    public long Bytes { get; }

    public static ConfigIndex Of(MeshSnapshot snapshot)
    {
        var config = snapshot.Config.Normalize();
        var services = new Dictionary<string, ItemDigest>(config.Services.Count, StringComparer.Ordinal);
        foreach (var service in config.Services)
        {
            services[service.Name] = CanonicalJson.Digest(service);
        }

        var routes = new Dictionary<string, ItemDigest>(config.Routes.Count, StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            routes[route.Id] = CanonicalJson.Digest(route);
        }

        return new ConfigIndex(snapshot, services, routes);
    }
}

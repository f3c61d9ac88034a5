using System.Text.Json;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Shared.Fleet;

/// <summary>
/// The canonical JSON of every service and route of one snapshot, by name: what a delta compares, built
/// once per revision (records holding lists do not compare by value, their JSON does).
/// </summary>
public sealed class ConfigIndex
{
    private ConfigIndex(MeshSnapshot snapshot, Dictionary<string, byte[]> services, Dictionary<string, byte[]> routes)
    {
        Snapshot = snapshot;
        Services = services;
        Routes = routes;
        Bytes = services.Values.Sum(b => (long)b.Length) + routes.Values.Sum(b => (long)b.Length);
    }

    public MeshSnapshot Snapshot { get; }
    public IReadOnlyDictionary<string, byte[]> Services { get; }
    public IReadOnlyDictionary<string, byte[]> Routes { get; }

    /// <summary>About the size of the snapshot's JSON: the sum of its services' and routes'.</summary>
    public long Bytes { get; }

    public static ConfigIndex Of(MeshSnapshot snapshot)
    {
        var services = new Dictionary<string, byte[]>(snapshot.Config.Services.Count, StringComparer.Ordinal);
        foreach (var service in snapshot.Config.Services)
        {
            services[service.Name] = JsonSerializer.SerializeToUtf8Bytes(service, CanonicalJson.CompactOptions);
        }

        var routes = new Dictionary<string, byte[]>(snapshot.Config.Routes.Count, StringComparer.Ordinal);
        foreach (var route in snapshot.Config.Routes)
        {
            routes[route.Id] = JsonSerializer.SerializeToUtf8Bytes(route, CanonicalJson.CompactOptions);
        }

        return new ConfigIndex(snapshot, services, routes);
    }
}

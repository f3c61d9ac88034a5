using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Portal.Commands;

/// <summary>
/// The events that turn the head state into a wanted config: used by rollback (to an earlier
/// revision) and by YAML import. Only what differs gets an event, each stream at its head version.
/// </summary>
public static class ConfigReplacement
{
    public static IReadOnlyList<StreamAppend> Plan(MeshState head, MeshConfig wanted)
    {
        var services = wanted.Services.ToDictionary(s => s.Name);
        var routes = wanted.Routes.ToDictionary(r => r.Id);
        var plan = new List<StreamAppend>();
        void Add(string stream, MeshEvent e) => plan.Add(new StreamAppend(stream, head.StreamVersion(stream), [e]));

        // Order keeps each intermediate state referentially sound: routes leave before the
        // services they use, services arrive before the routes that use them.
        foreach (var id in head.Routes.Keys.Where(id => !routes.ContainsKey(id)))
        {
            Add(MeshEvents.RouteStream(id), new RouteRemoved(id));
        }

        foreach (var service in wanted.Services.Where(s => !Same(head.Services.GetValueOrDefault(s.Name), s)))
        {
            Add(MeshEvents.ServiceStream(service.Name), new ServiceDefined(service) { Again = IsRemoved(head, MeshEvents.ServiceStream(service.Name), head.Services.ContainsKey(service.Name)) });
        }

        foreach (var route in wanted.Routes.Where(r => !Same(head.Routes.GetValueOrDefault(r.Id), r)))
        {
            Add(MeshEvents.RouteStream(route.Id), new RouteDefined(route) { Again = IsRemoved(head, MeshEvents.RouteStream(route.Id), head.Routes.ContainsKey(route.Id)) });
        }

        foreach (var name in head.Services.Keys.Where(n => !services.ContainsKey(n)))
        {
            Add(MeshEvents.ServiceStream(name), new ServiceRemoved(name));
        }

        return plan;
    }

    /// <summary>A stream that has events but whose object is gone from the state: the object was removed.</summary>
    public static bool IsRemoved(MeshState head, string stream, bool exists) => !exists && head.StreamVersion(stream) > 0;

    public static bool Same(ServiceConfig? current, ServiceConfig wanted) =>
        current is not null && CanonicalJson.Hash(new MeshConfig { Services = [current] }) == CanonicalJson.Hash(new MeshConfig { Services = [wanted] });

    private static bool Same(RouteConfig? current, RouteConfig wanted) =>
        current is not null && CanonicalJson.Hash(new MeshConfig { Routes = [current] }) == CanonicalJson.Hash(new MeshConfig { Routes = [wanted] });
}

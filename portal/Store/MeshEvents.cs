using System.Text.Json.Serialization;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Store;

/// <summary>Every change to the mesh config is one of these events.</summary>
public abstract record MeshEvent;

/// <summary>A service was registered or replaced as a whole (subsets and instances).</summary>
public sealed record ServiceDefined(ServiceConfig Service) : MeshEvent
{
    /// <summary>The service had been removed and is created again (older events lack the field: false).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Again { get; init; }
}

public sealed record ServiceRemoved(string Name) : MeshEvent;

/// <summary>Who may call a service changed; null is the default, everyone.</summary>
public sealed record ServiceAccessChanged(string Service, AccessPolicy? Access) : MeshEvent;

/// <summary>A route was created or replaced as a whole.</summary>
public sealed record RouteDefined(RouteConfig Route) : MeshEvent
{
    /// <summary>The route had been removed and is created again (older events lack the field: false).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Again { get; init; }
}

public sealed record RouteSplitChanged(string RouteId, IReadOnlyList<BackendRef> Backends) : MeshEvent;

public sealed record RouteRemoved(string RouteId) : MeshEvent;

public static class MeshEvents
{
    public static string ServiceStream(string name) => $"service-{name}";
    public static string RouteStream(string id) => $"route-{id}";
}

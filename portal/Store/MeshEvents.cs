using System.Text.Json;
using System.Text.Json.Serialization;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

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
    private static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(ServiceDefined), typeof(ServiceRemoved), typeof(RouteDefined), typeof(RouteSplitChanged), typeof(RouteRemoved),
    }.Concat(AccountEvents.Types).ToDictionary(t => t.Name);

    public static string ServiceStream(string name) => $"service-{name}";
    public static string RouteStream(string id) => $"route-{id}";

    public static string TypeName(MeshEvent e) => e.GetType().Name;

    public static string Serialize(MeshEvent e) => JsonSerializer.Serialize(e, e.GetType(), MeshJson.Options);

    public static MeshEvent Deserialize(StoredEvent stored) =>
        Types.TryGetValue(stored.EventType, out var type)
            ? (MeshEvent)(stored.Data.Deserialize(type, MeshJson.Options)
                ?? throw new InvalidDataException($"event {stored.Position} has no data"))
            : throw new InvalidDataException($"event {stored.Position} has unknown type '{stored.EventType}'");
}

namespace MeshPortal.Shared.Config;

public sealed record RouteConfig
{
    public required string Id { get; init; }

    /// <summary>Lower orders are matched first; ties are broken by id.</summary>
    public int Order { get; init; }

    public RouteMatch Match { get; init; } = new();
    public IReadOnlyList<BackendRef> Backends { get; init; } = [];
    public RoutePolicies Policies { get; init; } = new();
}

public sealed record RouteMatch
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public string? PathPrefix { get; init; }
    public IReadOnlyList<string> Methods { get; init; } = [];
    public IReadOnlyList<HeaderMatch> Headers { get; init; } = [];
}

public sealed record HeaderMatch
{
    public required string Name { get; init; }
    public required string Value { get; init; }

    /// <summary>When true, <see cref="Value"/> is a regular expression.</summary>
    public bool Regex { get; init; }
}

/// <summary>One weighted target of a route. Weights are relative integers; the UI shows percent.</summary>
public sealed record BackendRef
{
    public required string Service { get; init; }
    public required string Subset { get; init; }
    public int Weight { get; init; }
}

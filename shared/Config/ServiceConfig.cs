namespace MeshPortal.Shared.Config;

/// <summary>A service in the mesh catalog: named subsets, each a set of instances.</summary>
public sealed record ServiceConfig
{
    public required string Name { get; init; }
    public string Owner { get; init; } = "";
    public IReadOnlyList<SubsetConfig> Subsets { get; init; } = [];

    /// <summary>Who may call the service; null is the default, everyone.</summary>
    public AccessPolicy? Access { get; init; }

    public SubsetConfig? FindSubset(string name) => Subsets.FirstOrDefault(s => s.Name == name);
}

public sealed record SubsetConfig
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<InstanceConfig> Instances { get; init; } = [];
}

public sealed record InstanceConfig
{
    public required string Id { get; init; }

    /// <summary>Absolute http(s) URL, e.g. http://127.0.0.1:7011.</summary>
    public required string Address { get; init; }

    public string Node { get; init; } = "";
}

namespace MeshPortal.Shared.Config;

/// <summary>The whole routing config of the mesh, independent of any revision.</summary>
public sealed record MeshConfig
{
    public static MeshConfig Empty { get; } = new();

    public IReadOnlyList<ServiceConfig> Services { get; init; } = [];
    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    public ServiceConfig? FindService(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// Services by name, built once for a pass that looks many up (validating every route's backends):
    /// a search per backend made a whole-mesh validation quadratic. The first of duplicate names wins, as in <see cref="FindService"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ServiceConfig> ServicesByName()
    {
        var byName = new Dictionary<string, ServiceConfig>(Services.Count, StringComparer.Ordinal);
        foreach (var service in Services)
        {
            if (service?.Name is { } name)
            {
                byName.TryAdd(name, service);
            }
        }

        return byName;
    }
    public RouteConfig? FindRoute(string id) => Routes.FirstOrDefault(r => r.Id == id);

    /// <summary>Services sorted by name and routes by (order, id), so equal configs serialise equally.</summary>
    public MeshConfig Normalize() => this with
    {
        Services = [.. Services.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => s with
            {
                // ["*"] and no policy mean the same, everyone, so they hash the same.
                Access = s.Access is { Allow: { } allow } ? AccessPolicy.For(allow) : s.Access,
                Subsets = [.. s.Subsets.OrderBy(x => x.Name, StringComparer.Ordinal)
                    .Select(x => x with { Instances = [.. x.Instances.OrderBy(i => i.Id, StringComparer.Ordinal)] })],
            })],
        Routes = [.. Routes.OrderBy(r => r.Order).ThenBy(r => r.Id, StringComparer.Ordinal)],
    };
}

/// <summary>The whole config at one revision, with the SHA-256 of its canonical JSON.</summary>
public sealed record MeshSnapshot
{
    public long Revision { get; init; }
    public required string Hash { get; init; }
    public required MeshConfig Config { get; init; }

    public static MeshSnapshot Create(long revision, MeshConfig config)
    {
        var normalized = config.Normalize();
        return new MeshSnapshot { Revision = revision, Hash = Serialization.CanonicalJson.Hash(normalized), Config = normalized };
    }
}

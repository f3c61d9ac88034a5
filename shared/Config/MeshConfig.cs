using System.Runtime.CompilerServices;

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
    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// Services sorted by name and routes by (order, id), so equal configs serialise equally. A config
    /// already in that form is returned as it is, and a service already normalised stays the same
    /// instance (another is normalised once per instance): what is cached per instance (digests,
    /// validation, translation) then survives a revision that did not touch it.
    /// </summary>
    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MeshConfig Normalize()
    {
        var services = new ServiceConfig[Services.Count];
        var servicesSame = true;
        for (var i = 0; i < services.Length; i++)
        {
            services[i] = Normalized(Services[i]);
            servicesSame &= ReferenceEquals(services[i], Services[i]);
        }

        servicesSame &= IsSorted(services, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var routesSorted = IsSorted(Routes, CompareRoutes);
        if (servicesSame && routesSorted)
        {
            return this;
        }

        return this with
        {
            Services = servicesSame ? Services : [.. services.OrderBy(s => s.Name, StringComparer.Ordinal)],
            Routes = routesSorted ? Routes : [.. Routes.OrderBy(r => r.Order).ThenBy(r => r.Id, StringComparer.Ordinal)],
        };
    }

    private static readonly ConditionalWeakTable<ServiceConfig, ServiceConfig> NormalizedServices = [];

    private static ServiceConfig Normalized(ServiceConfig service) => NormalizedServices.GetValue(service, static s =>
    {
        // ["*"] and no policy mean the same, everyone, so they hash the same.
        var accessSame = s.Access is not { Allow: { } allowed } || (!allowed.Contains(AccessPolicy.Everyone)
            && IsSorted(allowed, static (a, b) => string.CompareOrdinal(a, b) < 0 ? -1 : 1));
        var subsetsSame = IsSorted(s.Subsets, static (a, b) => string.CompareOrdinal(a.Name, b.Name))
            && s.Subsets.All(x => IsSorted(x.Instances, static (a, b) => string.CompareOrdinal(a.Id, b.Id)));
        return accessSame && subsetsSame ? s : s with
        {
            Access = s.Access is { Allow: { } allow } ? AccessPolicy.For(allow) : s.Access,
            Subsets = [.. s.Subsets.OrderBy(x => x.Name, StringComparer.Ordinal)
                .Select(x => x with { Instances = [.. x.Instances.OrderBy(i => i.Id, StringComparer.Ordinal)] })],
        };
    });

    private static int CompareRoutes(RouteConfig a, RouteConfig b) =>
        a.Order != b.Order ? a.Order.CompareTo(b.Order) : string.CompareOrdinal(a.Id, b.Id);

    /// <summary>Whether a stable sort would leave <paramref name="items"/> as they are (no pair out of order).</summary>
    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsSorted<T>(IReadOnlyList<T> items, Func<T, T, int> compare)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (compare(items[i - 1], items[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }
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

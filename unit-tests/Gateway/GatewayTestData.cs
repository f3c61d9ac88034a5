using MeshPortal.Shared.Config;

namespace MeshPortal.UnitTests.Gateway;

/// <summary>The demo mesh: catalog v1 (one instance) and v2 (two instances), one weighted route.</summary>
internal static class GatewayTestData
{
    public static MeshConfig Config(int v1Weight = 90, int v2Weight = 10, string loadBalancing = LoadBalancingPolicies.RoundRobin) => new()
    {
        Services =
        [
            new ServiceConfig
            {
                Name = "catalog",
                Subsets =
                [
                    new SubsetConfig { Name = "v1", Instances = [Instance("catalog-v1", 7011)] },
                    new SubsetConfig { Name = "v2", Instances = [Instance("catalog-v2a", 7012), Instance("catalog-v2b", 7013)] },
                ],
            },
        ],
        Routes =
        [
            new RouteConfig
            {
                Id = "catalog",
                Order = 5,
                Match = new RouteMatch { Hosts = ["catalog"], PathPrefix = "/api/", Methods = ["GET"] },
                Backends =
                [
                    new BackendRef { Service = "catalog", Subset = "v1", Weight = v1Weight },
                    new BackendRef { Service = "catalog", Subset = "v2", Weight = v2Weight },
                ],
                Policies = new RoutePolicies { LoadBalancing = loadBalancing, TimeoutMs = 1500 },
            },
        ],
    };

    /// <summary>
    /// One service "catalog" whose subset v1 holds an instance per address (named by its key), and one
    /// route (Host: catalog) to it with <paramref name="policies"/>.
    /// </summary>
    public static MeshConfig OneSubset(IReadOnlyDictionary<string, string> addresses, RoutePolicies policies) => new()
    {
        Services =
        [
            new ServiceConfig
            {
                Name = "catalog",
                Subsets = [new SubsetConfig { Name = "v1", Instances = [.. addresses.Select(a => new InstanceConfig { Id = a.Key, Address = a.Value })] }],
            },
        ],
        Routes =
        [
            new RouteConfig
            {
                Id = "catalog",
                Match = new RouteMatch { Hosts = ["catalog"] },
                Backends = [new BackendRef { Service = "catalog", Subset = "v1", Weight = 100 }],
                Policies = policies,
            },
        ],
    };

    public static MeshSnapshot Snapshot(long revision = 1, MeshConfig? config = null) =>
        MeshSnapshot.Create(revision, config ?? Config());

    private static InstanceConfig Instance(string id, int port) =>
        new() { Id = id, Address = $"http://127.0.0.1:{port}", Node = "n1" };
}

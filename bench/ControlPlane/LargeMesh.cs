using MeshPortal.Shared.Config;

namespace MeshPortal.Bench.ControlPlane;

/// <summary>
/// A big, valid mesh: two routes per service (by path prefix), each split 90/10 over two subsets,
/// instances on distinct private addresses. One probe route, whose host changes with every
/// variant, points at a closed loopback port so a proxied request fails fast once it is routed.
/// </summary>
internal static class LargeMesh
{
    public const string ProbeAddress = "http://127.0.0.1:9";

    public static MeshConfig Create(int routes, int instances, int variant)
    {
        var services = Math.Max(1, routes / 2);
        var perSubset = Math.Max(1, instances / (services * 2));
        return new MeshConfig
        {
            Services = [.. Enumerable.Range(0, services).Select(s => Service(s, perSubset))],
            Routes = [.. Enumerable.Range(0, routes).Select(r => Route(r, r == routes - 1 ? ProbeHost(variant) : $"svc-{r / 2:D4}.mesh"))],
        };
    }

    public static string ProbeHost(int variant) => $"probe-{variant}.mesh";

    private static ServiceConfig Service(int s, int perSubset) => new()
    {
        Name = $"svc-{s:D4}",
        Owner = "bench",
        Subsets = [.. new[] { "v1", "v2" }.Select((subset, k) => new SubsetConfig
        {
            Name = subset,
            Instances = [.. Enumerable.Range(0, perSubset).Select(i => new InstanceConfig
            {
                Id = $"svc-{s:D4}-{subset}-{i}",
                Address = s == 0 ? ProbeAddress : $"http://10.{s / 250}.{s % 250}.{k * 100 + i + 1}:8080",
                Node = $"n{i % 3 + 1}",
            })],
        })],
    };

    private static RouteConfig Route(int r, string host) => new()
    {
        Id = $"route-{r:D4}",
        Match = new RouteMatch { Hosts = [host], PathPrefix = r % 2 == 0 ? "/api" : "/web" },
        Backends =
        [
            new BackendRef { Service = ServiceOf(r, host), Subset = "v1", Weight = 90 },
            new BackendRef { Service = ServiceOf(r, host), Subset = "v2", Weight = 10 },
        ],
        Policies = new RoutePolicies { TimeoutMs = 5000 },
    };

    /// <summary>The probe route uses service 0, whose instances are the closed loopback port.</summary>
    private static string ServiceOf(int r, string host) => host.StartsWith("probe-", StringComparison.Ordinal) ? "svc-0000" : $"svc-{r / 2:D4}";
}

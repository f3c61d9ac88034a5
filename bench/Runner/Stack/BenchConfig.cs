using MeshPortal.Bench.Common;
using MeshPortal.Shared.Config;

namespace MeshPortal.Bench.Runner.Stack;

/// <summary>The routes the benchmarks drive, registered through the portal's API like any operator's.</summary>
internal static class BenchConfig
{
    public const string DataHost = "bench";

    /// <summary>
    /// The data-plane route with every mesh feature on: a 90/10 split (both subsets on the one
    /// backend, as for the peers), a timeout, retries, a circuit breaker, a rate limit far above
    /// any rate reached here, and fault injection at 0 %.
    /// </summary>
    public static async Task RegisterDataPlaneAsync(PortalApi api, string backendUrl)
    {
        await api.RegisterServiceAsync(new ServiceConfig
        {
            Name = DataHost,
            Owner = "bench",
            Subsets =
            [
                new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = "bench-v1", Address = backendUrl, Node = "n1" }] },
                new SubsetConfig { Name = "v2", Instances = [new InstanceConfig { Id = "bench-v2", Address = backendUrl, Node = "n1" }] },
            ],
        });
        await api.PutRouteAsync(new RouteConfig
        {
            Id = DataHost,
            Match = new RouteMatch { Hosts = [DataHost] },
            Backends =
            [
                new BackendRef { Service = DataHost, Subset = "v1", Weight = 90 },
                new BackendRef { Service = DataHost, Subset = "v2", Weight = 10 },
            ],
            Policies = new RoutePolicies
            {
                TimeoutMs = 10_000,
                Retries = new RetryPolicy { Attempts = 2 },
                CircuitBreaker = new CircuitBreakerPolicy { ConsecutiveFailures = 50, EjectSeconds = 5 },
                RateLimit = new RateLimitPolicy { RequestsPerSecond = 10_000_000, Burst = 10_000_000 },
                Fault = new FaultPolicy { DelayMs = 0, DelayPercent = 0, AbortStatus = 503, AbortPercent = 0 },
            },
        });
    }

    public static string FreshHost(int trial) => $"fresh-{trial:D2}";

    /// <summary>One service and route per freshness trial, all on the backend that is switched to failing.</summary>
    public static async Task RegisterFreshnessAsync(PortalApi api, string backendUrl, int trials)
    {
        for (var trial = 0; trial < trials; trial++)
        {
            var name = FreshHost(trial);
            await api.RegisterServiceAsync(new ServiceConfig
            {
                Name = name,
                Owner = "bench",
                Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = $"{name}-1", Address = backendUrl, Node = "n1" }] }],
            });
            await api.PutRouteAsync(new RouteConfig
            {
                Id = name,
                Match = new RouteMatch { Hosts = [name] },
                Backends = [new BackendRef { Service = name, Subset = "v1", Weight = 100 }],
            });
        }
    }
}

using System.Runtime.CompilerServices;
using MeshPortal.Gateway.Faults;
using MeshPortal.Gateway.RateLimit;
using MeshPortal.Gateway.Retries;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// The policies of one route that the gateway enforces itself, put on the route's endpoint as metadata.
/// A policy that is off is null and leaves no metadata, so its middleware passes the request straight on.
/// </summary>
internal sealed record RouteHandlers(RouteRateLimiter? RateLimit, FaultInjection? Fault, RouteRetries? Retries);

/// <summary>
/// Builds the handlers of a snapshot's routes. A route's token bucket and retry budget carry over from
/// the served config while their settings stay the same, so a config change (a split moved, an instance
/// added) neither refills the bucket nor the budget.
/// </summary>
internal sealed class RouteHandlersBuilder(GatewayMetrics metrics, TimeProvider time)
{
    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyDictionary<string, RouteHandlers> Build(ProxySnapshot proxy, IReadOnlyDictionary<string, RouteHandlers> served)
    {
        var handlers = new Dictionary<string, RouteHandlers>(StringComparer.Ordinal);
        foreach (var route in proxy.Translated)
        {
            var id = route.Route.RouteId;
            handlers[id] = Build(id, route.Policies, served.GetValueOrDefault(id));
        }

        return handlers;
    }

    private RouteHandlers Build(string routeId, RoutePolicies policies, RouteHandlers? served)
    {
        var rateLimit = policies.RateLimit is { } limit
            ? new RouteRateLimiter(routeId, ReuseOrCreate(served?.RateLimit?.Bucket, limit), metrics.PolicyCounters(routeId))
            : null;
        var fault = policies.Fault is { } faults && (faults is { DelayMs: > 0, DelayPercent: > 0 } || faults.AbortPercent > 0)
            ? new FaultInjection(faults, Random.Shared, metrics.PolicyCounters(routeId))
            : null;
        var retries = policies.Retries is { Attempts: > 0 } retry
            ? new RouteRetries(retry, ReuseOrCreate(served?.Retries?.Budget, retry.BudgetPercent), metrics.PolicyCounters(routeId))
            : null;
        return new RouteHandlers(rateLimit, fault, retries);
    }

    private TokenBucket ReuseOrCreate(TokenBucket? served, RateLimitPolicy limit) =>
        served is not null && served.RequestsPerSecond == limit.RequestsPerSecond && served.Burst == limit.Burst
            ? served
            : new TokenBucket(limit.RequestsPerSecond, limit.Burst, time);

    private static RetryBudget ReuseOrCreate(RetryBudget? served, int percent) =>
        served is not null && served.Percent == percent ? served : new RetryBudget(percent);
}

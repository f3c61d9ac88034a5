using System.Text;
using MeshPortal.Gateway.Telemetry;

namespace MeshPortal.Gateway.RateLimit;

/// <summary>The rate limit of one route, as endpoint metadata: its bucket and what a refused request is told.</summary>
internal sealed class RouteRateLimiter(string routeId, TokenBucket bucket, RoutePolicyCounters counters)
{
    public TokenBucket Bucket { get; } = bucket;

    public RoutePolicyCounters Counters { get; } = counters;

    /// <summary>Encoded once, so a flood of refused requests allocates nothing for the body.</summary>
    public ReadOnlyMemory<byte> RefusalBody { get; } =
        Encoding.UTF8.GetBytes($"mesh gateway: route '{routeId}' is limited to {bucket.RequestsPerSecond} requests/s on this gateway\n");
}

using System.Globalization;
using System.Runtime.CompilerServices;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Telemetry;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Health;

/// <summary>
/// The routes' circuit breaker, as a YARP passive health policy fed by <see cref="CircuitBreakerMiddleware"/>:
/// after a number of consecutive failed exchanges an instance is marked unhealthy, which takes it out of
/// the split and load balancing of its route until YARP brings it back after the ejection time.
/// </summary>
/// <remarks>
/// A failure is a 5xx (the backend's, or the gateway's 502/504 for an exchange that broke), a body
/// the backend broke off, or an attempt that ran out of its per-try time. Client-side problems (the
/// caller left, sent a bad body) say nothing about the instance and are not counted.
/// </remarks>
internal sealed class CircuitBreakerPolicy(IDestinationHealthUpdater health, GatewayMetrics metrics, ILogger<CircuitBreakerPolicy> logger)
    : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "MeshCircuitBreaker";

    /// <summary>Cluster metadata key holding the route's consecutive failures threshold.</summary>
    public const string FailuresMetadataKey = "mesh.breaker.consecutiveFailures";

    private readonly ConditionalWeakTable<DestinationState, FailureCount> _failures = [];

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (!IsFailure(context))
        {
            if (_failures.TryGetValue(destination, out var streak))
            {
                streak.Reset();
            }

            return;
        }

        var config = cluster.Model.Config;
        var threshold = config.Metadata?.GetValueOrDefault(FailuresMetadataKey) is { } text
            && int.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : 1;
        var failures = _failures.GetValue(destination, static _ => new FailureCount());
        if (failures.Increment() < threshold || destination.Health.Passive == DestinationHealth.Unhealthy)
        {
            return;
        }

        failures.Reset();
        var ejectFor = config.HealthCheck?.Passive?.ReactivationPeriod ?? TimeSpan.FromSeconds(30);
        health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, ejectFor);
        metrics.PolicyCounters(cluster.ClusterId).Ejected();
        Log.InstanceEjected(logger, destination.DestinationId, cluster.ClusterId, threshold, ejectFor.TotalSeconds);
    }

    private static bool IsFailure(HttpContext context) =>
        context.Response.StatusCode >= StatusCodes.Status500InternalServerError
        || context.Features.Get<MeshRequestFeature>()?.Retry is { PerTryTimedOut: true }
        || context.Features.Get<IForwarderErrorFeature>()?.Error is ForwarderError.ResponseBodyDestination or ForwarderError.RequestBodyDestination;

    private sealed class FailureCount
    {
        private int _count;

        public int Increment() => Interlocked.Increment(ref _count);

        public void Reset()
        {
            // Most exchanges succeed: skip the write (and the cache line it would dirty) when already zero.
            if (Volatile.Read(ref _count) != 0)
            {
                Volatile.Write(ref _count, 0);
            }
        }
    }
}

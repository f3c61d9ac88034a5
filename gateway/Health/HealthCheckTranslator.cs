using System.Globalization;
using MeshPortal.Shared.Config;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace MeshPortal.Gateway.Health;

/// <summary>
/// A route's circuit breaker and active health check, as YARP cluster health settings: the breaker is a
/// passive check with <see cref="CircuitBreakerPolicy"/>, the probes are YARP's own active check.
/// </summary>
internal static class HealthCheckTranslator
{
    /// <summary>YARP's active policy that marks a destination unhealthy after consecutive failed probes.</summary>
    public const string ConsecutiveFailedProbes = "ConsecutiveFailures";

    /// <summary>YARP's availability policy that uses every destination when none is healthy.</summary>
    public const string HealthyOrPanic = "HealthyOrPanic";

    public static HealthCheckConfig? Translate(RoutePolicies policies)
    {
        if (policies.CircuitBreaker is null && policies.HealthCheck is null)
        {
            return null;
        }

        return new HealthCheckConfig
        {
            AvailableDestinationsPolicy = HealthyOrPanic,
            Passive = policies.CircuitBreaker is { } breaker
                ? new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = CircuitBreakerPolicy.PolicyName,
                    ReactivationPeriod = TimeSpan.FromSeconds(breaker.EjectSeconds),
                }
                : null,
            Active = policies.HealthCheck is { } check
                ? new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = TimeSpan.FromSeconds(check.IntervalSeconds),
                    Timeout = TimeSpan.FromMilliseconds(check.TimeoutMs),
                    Policy = ConsecutiveFailedProbes,
                    Path = check.Path,
                }
                : null,
        };
    }

    /// <summary>The thresholds both policies read from the cluster's metadata.</summary>
    public static void AddMetadata(RoutePolicies policies, IDictionary<string, string> metadata)
    {
        if (policies.CircuitBreaker is { } breaker)
        {
            metadata[CircuitBreakerPolicy.FailuresMetadataKey] = breaker.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture);
        }

        if (policies.HealthCheck is { } check)
        {
            metadata[ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = check.UnhealthyThreshold.ToString(CultureInfo.InvariantCulture);
        }
    }
}

namespace MeshPortal.Shared.Config;

public sealed record RoutePolicies
{
    public int? TimeoutMs { get; init; }
    public string LoadBalancing { get; init; } = LoadBalancingPolicies.RoundRobin;
    public RetryPolicy? Retries { get; init; }
    public CircuitBreakerPolicy? CircuitBreaker { get; init; }
    public RateLimitPolicy? RateLimit { get; init; }
    public FaultPolicy? Fault { get; init; }
    public HealthCheckPolicy? HealthCheck { get; init; }
}

public sealed record RetryPolicy
{
    public int Attempts { get; init; }
    public int? PerTryTimeoutMs { get; init; }
    public IReadOnlyList<string> RetryOn { get; init; } = ["502", "503", "504", "connect-failure"];
    public bool NonIdempotent { get; init; }

    /// <summary>Retries may add at most this share of the route's requests as extra load.</summary>
    public int BudgetPercent { get; init; } = 20;
}

public sealed record CircuitBreakerPolicy
{
    public int ConsecutiveFailures { get; init; } = 5;
    public int EjectSeconds { get; init; } = 30;
}

public sealed record RateLimitPolicy
{
    public int RequestsPerSecond { get; init; }
    public int Burst { get; init; }
}

public sealed record FaultPolicy
{
    public int DelayMs { get; init; }
    public double DelayPercent { get; init; }
    public int AbortStatus { get; init; }
    public double AbortPercent { get; init; }
}

/// <summary>Active health checks: each gateway probes every instance of the route's backends.</summary>
public sealed record HealthCheckPolicy
{
    public string Path { get; init; } = "/healthz";
    public int IntervalSeconds { get; init; } = 5;
    public int TimeoutMs { get; init; } = 1000;

    /// <summary>Consecutive failed probes before an instance is taken out of rotation.</summary>
    public int UnhealthyThreshold { get; init; } = 2;
}

/// <summary>Names of the load-balancing policies a route may pick inside a subset.</summary>
public static class LoadBalancingPolicies
{
    public const string RoundRobin = nameof(RoundRobin);
    public const string LeastRequests = nameof(LeastRequests);
    public const string PowerOfTwoChoices = nameof(PowerOfTwoChoices);
    public const string Random = nameof(Random);

    public static IReadOnlyList<string> All { get; } = [RoundRobin, LeastRequests, PowerOfTwoChoices, Random];
}

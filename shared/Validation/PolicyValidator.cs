using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Validation;

public static class PolicyValidator
{
    private const int MaxTimeoutMs = 3_600_000;
    private const int MaxRetries = 10;

    public static void Validate(RoutePolicies? policies, ErrorCollector errors)
    {
        if (policies is null)
        {
            return;
        }

        if (policies.TimeoutMs is { } timeout && timeout is <= 0 or > MaxTimeoutMs)
        {
            errors.Add("timeoutMs", $"must be between 1 and {MaxTimeoutMs} ms (one hour), got {timeout}");
        }

        if (!LoadBalancingPolicies.All.Contains(policies.LoadBalancing))
        {
            errors.Add("loadBalancing", $"unknown policy '{policies.LoadBalancing}' (known: {string.Join(", ", LoadBalancingPolicies.All)})");
        }

        if (policies.Retries is { } retries)
        {
            var at = errors.Nested("retries");
            if (retries.Attempts is < 0 or > MaxRetries)
            {
                at.Add("attempts", $"must be between 0 and {MaxRetries}, got {retries.Attempts}");
            }

            if (retries.PerTryTimeoutMs is { } perTry && perTry is <= 0 or > MaxTimeoutMs)
            {
                at.Add("perTryTimeoutMs", $"must be between 1 and {MaxTimeoutMs} ms, got {perTry}");
            }

            if (retries.BudgetPercent is < 0 or > 100)
            {
                at.Add("budgetPercent", $"must be a percentage between 0 and 100, got {retries.BudgetPercent}");
            }

            foreach (var condition in retries.RetryOn.Where(c => c is not ("502" or "503" or "504" or "connect-failure")))
            {
                at.Add("retryOn", $"unknown condition '{condition}' (known: 502, 503, 504, connect-failure)");
            }
        }

        if (policies.CircuitBreaker is { } breaker)
        {
            var at = errors.Nested("circuitBreaker");
            if (breaker.ConsecutiveFailures < 1)
            {
                at.Add("consecutiveFailures", $"must be at least 1, got {breaker.ConsecutiveFailures}");
            }

            if (breaker.EjectSeconds is < 1 or > 3600)
            {
                at.Add("ejectSeconds", $"must be between 1 and 3600, got {breaker.EjectSeconds}");
            }
        }

        if (policies.RateLimit is { } limit)
        {
            var at = errors.Nested("rateLimit");
            if (limit.RequestsPerSecond < 1)
            {
                at.Add("requestsPerSecond", $"must be at least 1, got {limit.RequestsPerSecond}");
            }

            if (limit.Burst < 0)
            {
                at.Add("burst", $"must be ≥ 0, got {limit.Burst}");
            }
        }

        if (policies.HealthCheck is { } check)
        {
            var at = errors.Nested("healthCheck");
            if (string.IsNullOrEmpty(check.Path) || !check.Path.StartsWith('/'))
            {
                at.Add("path", $"must start with '/', got '{check.Path}'");
            }

            TextRules.Require(at, "path", check.Path);

            if (check.IntervalSeconds is < 1 or > 300)
            {
                at.Add("intervalSeconds", $"must be between 1 and 300, got {check.IntervalSeconds}");
            }

            if (check.TimeoutMs is < 1 or > 60_000)
            {
                at.Add("timeoutMs", $"must be between 1 and 60000 ms, got {check.TimeoutMs}");
            }

            if (check.UnhealthyThreshold is < 1 or > 100)
            {
                at.Add("unhealthyThreshold", $"must be between 1 and 100, got {check.UnhealthyThreshold}");
            }
        }

        if (policies.Fault is { } fault)
        {
            var at = errors.Nested("fault");
            RequirePercent(at, "delayPercent", fault.DelayPercent);
            RequirePercent(at, "abortPercent", fault.AbortPercent);
            if (fault.DelayMs is < 0 or > MaxTimeoutMs)
            {
                at.Add("delayMs", $"must be between 0 and {MaxTimeoutMs}, got {fault.DelayMs}");
            }

            if (fault.AbortPercent > 0 && fault.AbortStatus is < 400 or > 599)
            {
                at.Add("abortStatus", $"must be an HTTP error status 400-599, got {fault.AbortStatus}");
            }
        }
    }

    private static void RequirePercent(ErrorCollector errors, string field, double value)
    {
        if (value is < 0 or > 100 || double.IsNaN(value))
        {
            errors.Add(field, $"must be a percentage between 0 and 100, got {value}");
        }
    }
}

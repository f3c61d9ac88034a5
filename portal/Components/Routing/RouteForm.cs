using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Components.Routing;

/// <summary>A backend as the editor shows it: a whole percentage that can be locked.</summary>
public sealed class SplitRow
{
    public required string Service { get; init; }
    public required string Subset { get; init; }
    public int Percent { get; set; }
    public bool Locked { get; set; }
    public string Key => $"{Service}/{Subset}";
}

/// <summary>The editable form of a route; <see cref="ToRoute"/> gives the candidate to validate and save.</summary>
public sealed class RouteForm
{
    public string Hosts { get; set; } = "";
    public string? PathPrefix { get; set; }
    public string Methods { get; set; } = "";
    public List<SplitRow> Split { get; set; } = [];
    public string LoadBalancing { get; set; } = LoadBalancingPolicies.RoundRobin;
    public int? TimeoutMs { get; set; }
    public int? RetryAttempts { get; set; }
    public int? BreakerFailures { get; set; }
    public int? BreakerEjectSeconds { get; set; }
    public int? RateLimitRps { get; set; }
    public int? RateLimitBurst { get; set; }

    public static RouteForm From(RouteConfig route)
    {
        var percent = SplitBalancer.ToPercent([.. route.Backends.Select(b => b.Weight)]);
        var p = route.Policies;
        return new RouteForm
        {
            Hosts = string.Join(", ", route.Match.Hosts),
            PathPrefix = route.Match.PathPrefix,
            Methods = string.Join(", ", route.Match.Methods),
            Split = [.. route.Backends.Select((b, i) => new SplitRow { Service = b.Service, Subset = b.Subset, Percent = percent[i] })],
            LoadBalancing = p.LoadBalancing,
            TimeoutMs = p.TimeoutMs,
            RetryAttempts = p.Retries?.Attempts,
            BreakerFailures = p.CircuitBreaker?.ConsecutiveFailures,
            BreakerEjectSeconds = p.CircuitBreaker?.EjectSeconds,
            RateLimitRps = p.RateLimit?.RequestsPerSecond,
            RateLimitBurst = p.RateLimit?.Burst,
        };
    }

    /// <summary>The route with this form's values; what the form does not edit is kept from <paramref name="current"/>.</summary>
    public RouteConfig ToRoute(RouteConfig current) => current with
    {
        Match = current.Match with { Hosts = List(Hosts), PathPrefix = string.IsNullOrWhiteSpace(PathPrefix) ? null : PathPrefix.Trim(), Methods = List(Methods.ToUpperInvariant()) },
        Backends = [.. Split.Select(r => new BackendRef { Service = r.Service, Subset = r.Subset, Weight = r.Percent })],
        Policies = current.Policies with
        {
            LoadBalancing = LoadBalancing,
            TimeoutMs = TimeoutMs,
            Retries = RetryAttempts is { } attempts ? (current.Policies.Retries ?? new RetryPolicy()) with { Attempts = attempts } : null,
            CircuitBreaker = BreakerFailures is { } failures
                ? new CircuitBreakerPolicy { ConsecutiveFailures = failures, EjectSeconds = BreakerEjectSeconds ?? new CircuitBreakerPolicy().EjectSeconds }
                : null,
            RateLimit = RateLimitRps is { } rps ? new RateLimitPolicy { RequestsPerSecond = rps, Burst = RateLimitBurst ?? 0 } : null,
        },
    };

    private static IReadOnlyList<string> List(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

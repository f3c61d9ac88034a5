using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Retries;

/// <summary>The retry policy of one route, as endpoint metadata, with its budget.</summary>
internal sealed class RouteRetries
{
    /// <summary>The conditions a route may retry on, as the config names them.</summary>
    public const string ConnectFailure = "connect-failure";

    private readonly bool _on502;
    private readonly bool _on503;
    private readonly bool _on504;

    public RouteRetries(RetryPolicy policy, RetryBudget budget, RoutePolicyCounters counters)
    {
        Attempts = policy.Attempts;
        PerTryTimeout = policy.PerTryTimeoutMs is { } perTry ? TimeSpan.FromMilliseconds(perTry) : null;
        NonIdempotent = policy.NonIdempotent;
        _on502 = policy.RetryOn.Contains("502");
        _on503 = policy.RetryOn.Contains("503");
        _on504 = policy.RetryOn.Contains("504");
        OnConnectFailure = policy.RetryOn.Contains(ConnectFailure);
        Budget = budget;
        Counters = counters;
    }

    /// <summary>Retries after the first attempt.</summary>
    public int Attempts { get; }

    public TimeSpan? PerTryTimeout { get; }

    /// <summary>When true every method is retried, not only the idempotent ones.</summary>
    public bool NonIdempotent { get; }

    public bool OnConnectFailure { get; }

    public RetryBudget Budget { get; }

    public RoutePolicyCounters Counters { get; }

    /// <summary>
    /// Whether requests with <paramref name="method"/> may be sent twice: the idempotent methods of
    /// RFC 9110 (POST and PATCH are not), or every method when the route says so.
    /// </summary>
    public bool Covers(string method) =>
        NonIdempotent || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsTrace(method);

    public bool RetriesOn(int status) => status switch
    {
        StatusCodes.Status502BadGateway => _on502,
        StatusCodes.Status503ServiceUnavailable => _on503,
        StatusCodes.Status504GatewayTimeout => _on504,
        _ => false,
    };
}

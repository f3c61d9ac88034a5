namespace MeshPortal.Gateway.Telemetry;

/// <summary>What the policies of one route did, since the gateway started; read by the Prometheus endpoint.</summary>
internal sealed class RoutePolicyCounters
{
    private long _retries;
    private long _retryBudgetExhausted;
    private long _rateLimited;
    private long _faultDelays;
    private long _faultAborts;
    private long _ejections;

    public long Retries => Volatile.Read(ref _retries);

    public long RetryBudgetExhausted => Volatile.Read(ref _retryBudgetExhausted);

    public long RateLimitedRequests => Volatile.Read(ref _rateLimited);

    public long FaultDelays => Volatile.Read(ref _faultDelays);

    public long FaultAborts => Volatile.Read(ref _faultAborts);

    public long Ejections => Volatile.Read(ref _ejections);

    public void Retried() => Interlocked.Increment(ref _retries);

    public void RetryRefusedByBudget() => Interlocked.Increment(ref _retryBudgetExhausted);

    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    public void FaultDelayed() => Interlocked.Increment(ref _faultDelays);

    public void FaultAborted() => Interlocked.Increment(ref _faultAborts);

    public void Ejected() => Interlocked.Increment(ref _ejections);
}

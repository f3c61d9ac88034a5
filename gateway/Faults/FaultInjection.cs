using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Faults;

/// <summary>The fault injection of one route, as endpoint metadata: a share of requests delayed, a share aborted.</summary>
internal sealed class FaultInjection(FaultPolicy policy, Random random, RoutePolicyCounters counters)
{
    private readonly double _delayPercent = policy.DelayMs > 0 ? policy.DelayPercent : 0;
    private readonly double _abortPercent = policy.AbortPercent;

    public TimeSpan Delay { get; } = TimeSpan.FromMilliseconds(policy.DelayMs);

    public int AbortStatus { get; } = policy.AbortStatus;

    public RoutePolicyCounters Counters { get; } = counters;

    public bool ShouldDelay() => Draw(_delayPercent);

    public bool ShouldAbort() => Draw(_abortPercent);

    private bool Draw(double percent) => percent >= 100 || (percent > 0 && random.NextDouble() * 100 < percent);
}

using MeshPortal.Gateway.Fleet;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.Fleet;

public sealed class FleetRetryPolicyTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FleetRetryPolicy _policy;

    public FleetRetryPolicyTests() =>
        _policy = new FleetRetryPolicy(new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), new Random(3)), _time);

    [Fact]
    public void NextRetryDelay_AfterThousandsOfRetries_NeverGivesUpAndStaysCapped()
    {
        var delay = _policy.NextRetryDelay(new RetryContext { PreviousRetryCount = 10_000, ElapsedTime = TimeSpan.FromDays(1) });

        Assert.NotNull(delay);
        Assert.True(delay <= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Delay_ConnectionsDroppedRightAfterConnecting_BackoffKeepsGrowing()
    {
        for (var i = 0; i < 5; i++)
        {
            _policy.Connected();
            _time.Advance(TimeSpan.FromMilliseconds(300));
            _policy.Lost();
        }

        Assert.InRange(_policy.Delay(0).TotalMilliseconds, 2500, 5000);
    }

    [Fact]
    public void Delay_AfterAStableConnection_BackoffStartsSmallAgain()
    {
        _policy.Connected();
        _policy.Lost();
        _policy.Connected();
        _time.Advance(FleetRetryPolicy.StableAfter);
        _policy.Lost();

        Assert.InRange(_policy.Delay(0).TotalMilliseconds, 100, 200);
    }
}

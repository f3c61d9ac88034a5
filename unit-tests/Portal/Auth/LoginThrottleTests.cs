using MeshPortal.Portal.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Auth;

public sealed class LoginThrottleTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests() => _throttle = new LoginThrottle(_time, Options.Create(new SecurityOptions
    {
        LoginThrottle = new LoginThrottleOptions { FreeFailuresPerUser = 5, FreeFailuresPerAddress = 8 },
    }));

    [Fact]
    public void Failed_FourTimes_NotLocked()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(TimeSpan.Zero, _throttle.Failed("alice", "10.0.0.1"));
        }

        Assert.Equal(TimeSpan.Zero, _throttle.RetryAfter("alice", "10.0.0.1"));
    }

    [Fact]
    public void Failed_FifthTime_LockedThirtySecondsThenFree()
    {
        FailTimes("alice", "10.0.0.1", 5);

        Assert.Equal(TimeSpan.FromSeconds(30), _throttle.RetryAfter("alice", "10.0.0.2"));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.Zero, _throttle.RetryAfter("alice", "10.0.0.1"));
    }

    [Fact]
    public void Failed_EachFailurePastTheFree_DoublesUpToTheCap()
    {
        FailTimes("alice", "10.0.0.1", 4);

        var lockouts = Enumerable.Range(0, 7).Select(_ => _throttle.Failed("alice", $"10.0.1.{Random.Shared.Next(255)}")).ToList();

        Assert.Equal([30, 60, 120, 240, 480, 900, 900], lockouts.Select(l => (int)l.TotalSeconds));
    }

    [Fact]
    public void Succeeded_AfterFailures_ClearsTheUserButNotTheAddress()
    {
        FailTimes("alice", "10.0.0.1", 4);
        FailTimes("bob", "10.0.0.1", 3);

        _throttle.Succeeded("alice");

        Assert.Equal(TimeSpan.Zero, _throttle.Failed("alice", "10.0.0.9"));
        Assert.Equal(TimeSpan.FromSeconds(30), _throttle.Failed("carol", "10.0.0.1"));
    }

    [Fact]
    public void Failed_AfterQuietPeriod_CountStartsAgain()
    {
        FailTimes("alice", "10.0.0.1", 4);

        _time.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(TimeSpan.Zero, _throttle.Failed("alice", "10.0.0.1"));
    }

    [Fact]
    public void RetryAfter_UserNameCaseAndSpaces_SameKey()
    {
        FailTimes("Alice ", "10.0.0.1", 5);

        Assert.True(_throttle.RetryAfter("alice", "10.9.9.9") > TimeSpan.Zero);
    }

    private void FailTimes(string user, string address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _throttle.Failed(user, address);
        }
    }
}

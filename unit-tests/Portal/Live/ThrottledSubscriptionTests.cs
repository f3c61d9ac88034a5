using MeshPortal.Portal.Live;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Live;

public sealed class ThrottledSubscriptionTests
{
    [Fact]
    public async Task Notify_BurstWithinInterval_OneCallback()
    {
        var time = new FakeTimeProvider();
        var subscribers = new Subscribers(time);
        var calls = 0;
        var called = new TaskCompletionSource();
        using var subscription = subscribers.Subscribe(() =>
        {
            Interlocked.Increment(ref calls);
            called.TrySetResult();
            return Task.CompletedTask;
        });

        for (var i = 0; i < 100; i++)
        {
            subscribers.Notify();
        }

        Assert.Equal(0, calls);
        time.Advance(Subscribers.DefaultInterval);
        await called.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Dispose_NoFurtherCallbacks()
    {
        var time = new FakeTimeProvider();
        var subscribers = new Subscribers(time);
        var calls = 0;
        var subscription = subscribers.Subscribe(() => { calls++; return Task.CompletedTask; });
        subscription.Dispose();
        subscribers.Notify();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, calls);
    }
}

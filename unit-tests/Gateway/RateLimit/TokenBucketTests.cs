using MeshPortal.Gateway.RateLimit;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.RateLimit;

public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryTake_NoBurstSet_OneSecondOfRateAtOnceThenRefused()
    {
        var bucket = new TokenBucket(10, burst: 0, _time);

        var taken = Enumerable.Range(0, 15).Count(i => bucket.TryTake(out _));

        Assert.Equal(10, taken);
    }

    [Fact]
    public void TryTake_Empty_RetryAfterIsTimeToNextToken()
    {
        var bucket = new TokenBucket(10, burst: 0, _time);
        Drain(bucket);

        Assert.False(bucket.TryTake(out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(100), retryAfter);
        _time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.False(bucket.TryTake(out retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(40), retryAfter);
    }

    [Fact]
    public void TryTake_AfterRefillTime_OneTokenPerInterval()
    {
        var bucket = new TokenBucket(10, burst: 0, _time);
        Drain(bucket);

        _time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.Equal(2, Enumerable.Range(0, 5).Count(i => bucket.TryTake(out _)));
    }

    [Fact]
    public void TryTake_SteadyOverload_AdmitsTheRateOverTime()
    {
        var bucket = new TokenBucket(10, burst: 0, _time);
        var admitted = 0;

        // 40 requests/s for 10 s.
        for (var i = 0; i < 400; i++)
        {
            admitted += bucket.TryTake(out _) ? 1 : 0;
            _time.Advance(TimeSpan.FromMilliseconds(25));
        }

        Assert.InRange(admitted, 100, 110);
    }

    [Fact]
    public void TryTake_BurstLargerThanRate_BurstAtOnce()
    {
        var bucket = new TokenBucket(10, burst: 25, _time);

        Assert.Equal(25, bucket.Capacity);
        Assert.Equal(25, Enumerable.Range(0, 40).Count(i => bucket.TryTake(out _)));
    }

    [Fact]
    public async Task TryTake_ConcurrentCallers_NeverMoreThanCapacity()
    {
        var bucket = new TokenBucket(1000, burst: 0, _time);
        var taken = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 5000), (_, _) =>
        {
            if (bucket.TryTake(out _))
            {
                Interlocked.Increment(ref taken);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(1000, taken);
    }

    private static void Drain(TokenBucket bucket)
    {
        while (bucket.TryTake(out _))
        {
        }
    }
}

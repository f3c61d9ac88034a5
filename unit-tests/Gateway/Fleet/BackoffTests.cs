using MeshPortal.Gateway.Fleet;

namespace MeshPortal.UnitTests.Gateway.Fleet;

public sealed class BackoffTests
{
    private static readonly Backoff Backoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), new Random(7));

    [Theory]
    [InlineData(0, 100, 200)]
    [InlineData(1, 200, 400)]
    [InlineData(3, 800, 1600)]
    public void Delay_EarlyAttempts_DoubleWithJitterInUpperHalf(long attempt, double minMs, double maxMs)
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(Backoff.Delay(attempt).TotalMilliseconds, minMs, maxMs);
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1_000_000)]
    public void Delay_ManyAttempts_CappedAtMaximum(long attempt)
    {
        Assert.InRange(Backoff.Delay(attempt).TotalMilliseconds, 2500, 5000);
    }

    [Fact]
    public void Delay_SameAttempt_Jittered()
    {
        Assert.True(Enumerable.Range(0, 20).Select(_ => Backoff.Delay(5)).Distinct().Count() > 1);
    }
}

using MeshPortal.Gateway.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.Telemetry;

public sealed class TrafficAggregatorTests
{
    private readonly TrafficAggregator _traffic = new(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)));

    [Theory]
    [InlineData(503)]
    [InlineData(0)]
    public void Record_FirstFailureOfAnEdge_FailureStarted(int status)
    {
        _traffic.Record("frontend", "catalog", "catalog", "v1", 200, 3);
        Assert.False(_traffic.FailureStarted.IsCompleted);

        _traffic.Record("frontend", "catalog", "catalog", "v1", status, 3);

        Assert.True(_traffic.FailureStarted.IsCompleted);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(403)]
    [InlineData(302)]
    public void Record_ClientErrorsAndRedirects_NotAFailure(int status)
    {
        _traffic.Record("frontend", "catalog", "catalog", "v1", status, 3);

        Assert.False(_traffic.FailureStarted.IsCompleted);
    }

    [Fact]
    public void Record_EdgeFailingInThePreviousWindowToo_NotStartedAgain()
    {
        _traffic.Record("frontend", "catalog", "catalog", "v1", 500, 3);
        _traffic.Swap();

        _traffic.Record("frontend", "catalog", "catalog", "v1", 502, 3);

        Assert.False(_traffic.FailureStarted.IsCompleted);
    }

    [Fact]
    public void Record_AnotherEdgeStartsFailing_StartedAfterTheSwap()
    {
        _traffic.Record("frontend", "catalog", "catalog", "v1", 500, 3);
        var first = _traffic.FailureStarted;
        _traffic.Swap();

        _traffic.Record("frontend", "inventory", "inventory", "v1", 500, 3);

        Assert.True(first.IsCompleted);
        Assert.NotSame(first, _traffic.FailureStarted);
        Assert.True(_traffic.FailureStarted.IsCompleted);
    }

    [Fact]
    public void Swap_EarlyWindow_KeepsItsCountsAndTheNextStartsEmpty()
    {
        _traffic.Record("frontend", "catalog", "catalog", "v1", 500, 3);
        _traffic.Record("frontend", "catalog", "catalog", "v1", 500, 3);

        var sent = _traffic.Swap().ToRecords();
        var next = _traffic.Swap().ToRecords();

        Assert.Equal(2, Assert.Single(sent).Count);
        Assert.Empty(next);
    }
}

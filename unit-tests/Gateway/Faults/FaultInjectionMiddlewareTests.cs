using MeshPortal.Gateway.Faults;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.Faults;

public sealed class FaultInjectionMiddlewareTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RoutePolicyCounters _counters = new();
    private bool _forwarded;

    [Fact]
    public async Task InvokeAsync_AbortEveryRequest_AnsweredWithStatusAndNotForwarded()
    {
        var context = Context(new FaultPolicy { AbortStatus = 503, AbortPercent = 100 });

        await Middleware().InvokeAsync(context);

        Assert.False(_forwarded);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("abort", context.Response.Headers[FaultInjectionMiddleware.FaultHeader]);
        Assert.Equal(1, _counters.FaultAborts);
    }

    [Fact]
    public async Task InvokeAsync_DelayEveryRequest_ForwardedOnlyAfterTheDelay()
    {
        var context = Context(new FaultPolicy { DelayMs = 500, DelayPercent = 100 });

        var pending = Middleware().InvokeAsync(context);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        var early = _forwarded;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await pending;

        Assert.False(early);
        Assert.True(_forwarded);
        Assert.Equal(1, _counters.FaultDelays);
    }

    [Fact]
    public async Task InvokeAsync_DelayCutShortByTimeout_NotForwarded()
    {
        using var timeout = new CancellationTokenSource();
        var context = Context(new FaultPolicy { DelayMs = 500, DelayPercent = 100 });
        context.RequestAborted = timeout.Token;

        var pending = Middleware().InvokeAsync(context);
        await timeout.CancelAsync();
        await pending;

        Assert.False(_forwarded);
    }

    [Fact]
    public async Task InvokeAsync_ThirtyPercentAborts_RoughlyThatShare()
    {
        var random = new Random(42);
        var aborted = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var context = Context(new FaultPolicy { AbortStatus = 500, AbortPercent = 30 }, random);
            await Middleware().InvokeAsync(context);
            aborted += context.Response.StatusCode == 500 ? 1 : 0;
        }

        Assert.InRange(aborted, 2_850, 3_150);
    }

    [Fact]
    public async Task InvokeAsync_NoFaultOnRoute_Forwarded()
    {
        var context = new DefaultHttpContext();

        await Middleware().InvokeAsync(context);

        Assert.True(_forwarded);
    }

    private FaultInjectionMiddleware Middleware() => new(_ => { _forwarded = true; return Task.CompletedTask; }, _time);

    private DefaultHttpContext Context(FaultPolicy policy, Random? random = null)
    {
        var context = new DefaultHttpContext();
        var fault = new FaultInjection(policy, random ?? new Random(1), _counters);
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(fault), "catalog"));
        return context;
    }
}

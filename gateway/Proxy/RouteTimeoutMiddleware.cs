using System.Collections.Concurrent;

namespace MeshPortal.Gateway.Proxy;

/// <summary>A route's timeout, on its endpoint: the whole exchange, every retry included, must end within it.</summary>
internal sealed record RouteTimeout(TimeSpan Limit);

/// <summary>
/// Enforces a route's timeout and answers 504 when it expires (YARP sees the expiry only as a cancelled
/// request and would answer 400, blaming the caller for a slow backend). It stands in for ASP.NET's
/// request-timeouts middleware, which wraps every request in a step of its own and gives each timed
/// request a new linked token source; here routes without a timeout pass straight through, and a
/// timed request reuses a token source another request finished with.
/// </summary>
internal sealed class RouteTimeoutMiddleware(RequestDelegate next, TimeProvider time)
{
    // Idle sources, made with this pipeline's clock: a request takes one (or makes one) and gives it back
    // once it has been reset, which succeeds only when its timer never fired and nothing cancelled it.
    private const int MaxIdle = 256;
    private readonly ConcurrentQueue<CancellationTokenSource> _idle = new();
    private int _idleCount;

    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteTimeout>() is { } timeout ? WithinAsync(context, timeout.Limit) : next(context);

    private async Task WithinAsync(HttpContext context, TimeSpan limit)
    {
        var requestAborted = context.RequestAborted;
        var timeout = Rent();
        timeout.CancelAfter(limit);
        var link = requestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        context.RequestAborted = timeout.Token;
        try
        {
            await next(context);
            if (timeout.IsCancellationRequested && !requestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            }
        }
        finally
        {
            context.RequestAborted = requestAborted;
            link.Dispose();
            Return(timeout);
        }
    }

    private CancellationTokenSource Rent()
    {
        if (_idle.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }

        return new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    private void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            if (Interlocked.Increment(ref _idleCount) <= MaxIdle)
            {
                _idle.Enqueue(source);
                return;
            }

            Interlocked.Decrement(ref _idleCount);
        }

        source.Dispose();
    }
}

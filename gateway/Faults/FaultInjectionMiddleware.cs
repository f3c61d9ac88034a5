namespace MeshPortal.Gateway.Faults;

/// <summary>
/// Injects the route's faults before the request is forwarded: first the delay, then the abort, so a
/// delayed request can still be aborted (as Envoy does). A delay counts against the route's timeout.
/// </summary>
internal sealed class FaultInjectionMiddleware(RequestDelegate next, TimeProvider time)
{
    /// <summary>Marks answers the gateway made up, so nobody hunts the bug in the backend.</summary>
    public const string FaultHeader = "x-mesh-fault";

    public Task InvokeAsync(HttpContext context)
    {
        var fault = context.GetEndpoint()?.Metadata.GetMetadata<FaultInjection>();
        if (fault is null)
        {
            return next(context);
        }

        return fault.ShouldDelay() ? DelayAsync(context, fault) : AbortOrForward(context, fault);
    }

    private async Task DelayAsync(HttpContext context, FaultInjection fault)
    {
        fault.Counters.FaultDelayed();
        try
        {
            await Task.Delay(fault.Delay, time, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The route timed out (answered 504 further out) or the caller left: nothing to forward.
            return;
        }

        await AbortOrForward(context, fault);
    }

    private Task AbortOrForward(HttpContext context, FaultInjection fault)
    {
        if (!fault.ShouldAbort())
        {
            return next(context);
        }

        fault.Counters.FaultAborted();
        context.Response.StatusCode = fault.AbortStatus;
        context.Response.Headers[FaultHeader] = "abort";
        return Task.CompletedTask;
    }
}

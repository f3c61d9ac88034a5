using Microsoft.AspNetCore.Http.Timeouts;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Answers 504 when a route's timeout expires. YARP 2.1 sees the timeout only as a cancelled request
/// and answers 400, which would blame the caller for a slow backend.
/// </summary>
internal sealed class TimeoutStatusMiddleware(RequestDelegate next)
{
    /// <summary>Routes without a timeout pass straight through, without an async step of their own.</summary>
    public Task InvokeAsync(HttpContext context) =>
        context.Features.Get<IHttpRequestTimeoutFeature>() is { } timeout ? AnswerTimeoutAsync(context, timeout) : next(context);

    private async Task AnswerTimeoutAsync(HttpContext context, IHttpRequestTimeoutFeature timeout)
    {
        await next(context);
        if (!context.Response.HasStarted && timeout.RequestTimeoutToken.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }
}

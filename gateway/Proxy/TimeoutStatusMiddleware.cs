using Microsoft.AspNetCore.Http.Timeouts;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Answers 504 when a route's timeout expires. YARP 2.1 sees the timeout only as a cancelled request
/// and answers 400, which would blame the caller for a slow backend.
/// </summary>
internal sealed class TimeoutStatusMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (!context.Response.HasStarted
            && context.Features.Get<IHttpRequestTimeoutFeature>() is { RequestTimeoutToken.IsCancellationRequested: true })
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }
}

using System.Globalization;

namespace MeshPortal.Gateway.RateLimit;

/// <summary>Refuses requests over the route's rate with 429 and a Retry-After in whole seconds.</summary>
internal sealed class RateLimitMiddleware(RequestDelegate next)
{
    // Retry-After values of the first minute, so refusing allocates no string.
    private static readonly string[] Seconds = [.. Enumerable.Range(0, 61).Select(s => s.ToString(CultureInfo.InvariantCulture))];

    public Task InvokeAsync(HttpContext context)
    {
        var limiter = context.GetEndpoint()?.Metadata.GetMetadata<RouteRateLimiter>();
        if (limiter is null || limiter.Bucket.TryTake(out var retryAfter))
        {
            return next(context);
        }

        limiter.Counters.RateLimited();

        // Whole seconds, rounded up: a client that waits that long finds a token.
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds < Seconds.Length ? Seconds[seconds] : seconds.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = limiter.RefusalBody.Length;
        return response.Body.WriteAsync(limiter.RefusalBody, context.RequestAborted).AsTask();
    }
}

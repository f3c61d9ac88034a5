using System.Net.Http;
using MeshPortal.Gateway.Proxy;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Retries;

/// <summary>
/// Sends a failed attempt again, within the route's retry policy and budget. It runs after the split,
/// so a retry stays in the subset the split chose, and before load balancing, so each retry is
/// balanced again over that subset's instances without the ones that already failed.
/// </summary>
internal sealed class RetryMiddleware(RequestDelegate next, TimeProvider time)
{
    /// <summary>Request bodies up to this size are kept to be sent again; larger or streamed ones are never retried.</summary>
    public const int MaxReplayableBodyBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var retries = context.GetEndpoint()?.Metadata.GetMetadata<RouteRetries>();
        if (retries is null)
        {
            return next(context);
        }

        retries.Budget.Deposit();
        var mesh = context.Features.Get<MeshRequestFeature>();
        return mesh is null || !retries.Covers(context.Request.Method) || !CanReplayBody(context.Request)
            ? next(context)
            : RetryAsync(context, retries, mesh);
    }

    private async Task RetryAsync(HttpContext context, RouteRetries retries, MeshRequestFeature mesh)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = mesh.Destinations ?? proxy.AvailableDestinations;
        List<DestinationState>? untried = null;
        var requestAborted = context.RequestAborted;
        var attempt = new RetryAttempt(retries, requestAborted);
        mesh.Retry = attempt;
        while (true)
        {
            await SendAttemptAsync(context, attempt, requestAborted);
            if (!ShouldRetry(context, attempt, requestAborted))
            {
                if (attempt.PerTryTimedOut && !context.Response.HasStarted)
                {
                    // YARP saw a cancelled request and blamed the caller (400): it was the backend's time that ran out.
                    context.Response.Clear();
                    context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
                }

                return;
            }

            attempt.RetriesLeft--;
            attempt.Claimed = false;
            retries.Counters.Retried();
            untried = Untried(untried, candidates, proxy.ProxiedDestination);
            proxy.AvailableDestinations = untried;
            proxy.ProxiedDestination = null;
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }
        }
    }

    private Task SendAttemptAsync(HttpContext context, RetryAttempt attempt, CancellationToken requestAborted) =>
        attempt.Retries.PerTryTimeout is { } perTry ? SendWithinAsync(context, attempt, perTry, requestAborted) : next(context);

    private async Task SendWithinAsync(HttpContext context, RetryAttempt attempt, TimeSpan perTry, CancellationToken requestAborted)
    {
        // YARP cancels the exchange with the request's token, so each attempt gets its own for its duration.
        using var timeout = new CancellationTokenSource(perTry, time);
        using var link = requestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        attempt.PerTry = timeout;
        context.RequestAborted = timeout.Token;
        try
        {
            await next(context);
        }
        finally
        {
            context.RequestAborted = requestAborted;
        }
    }

    private static bool ShouldRetry(HttpContext context, RetryAttempt attempt, CancellationToken requestAborted)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        if (attempt.Claimed)
        {
            return true;
        }

        if (attempt.PerTryTimedOut)
        {
            return attempt.TryTakeRetry(attempt.Retries.RetriesOn(StatusCodes.Status504GatewayTimeout));
        }

        if (requestAborted.IsCancellationRequested || context.Features.Get<IForwarderErrorFeature>() is not { } failure)
        {
            return false;
        }

        return failure.Error switch
        {
            ForwarderError.Request when IsConnectFailure(failure.Exception) => attempt.TryTakeRetry(attempt.Retries.OnConnectFailure),

            // Exchanges that failed on the backend's side, answered by YARP with 502 or 504.
            ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.ResponseHeaders
                or ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination =>
                attempt.TryTakeRetry(attempt.Retries.RetriesOn(context.Response.StatusCode)),
            _ => false,
        };
    }

    private static bool IsConnectFailure(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>The candidates not tried yet, or all of them again once every one has failed.</summary>
    private static List<DestinationState> Untried(List<DestinationState>? untried, IReadOnlyList<DestinationState> candidates, DestinationState? failed)
    {
        untried ??= [.. candidates];
        if (failed is not null)
        {
            untried.Remove(failed);
        }

        if (untried.Count == 0)
        {
            untried.AddRange(candidates);
        }

        return untried;
    }

    /// <summary>Keeps a small request body so it can be sent again; a body too large or of unknown length rules retries out.</summary>
    private static bool CanReplayBody(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true })
        {
            return true;
        }

        if (request.ContentLength is not (>= 0 and <= MaxReplayableBodyBytes))
        {
            return false;
        }

        request.EnableBuffering(MaxReplayableBodyBytes, MaxReplayableBodyBytes);
        return true;
    }
}

using MeshPortal.Gateway.State;
using MeshPortal.Gateway.Telemetry;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Front of the proxy listener: refuses traffic until a config is applied, tags each request with an
/// id and its caller, and accounts for it once the proxy is done.
/// </summary>
internal sealed class MeshRequestMiddleware(
    RequestDelegate next, AppliedConfig applied, GatewayMetrics metrics, TrafficAggregator traffic, TimeProvider time)
{
    public const string RequestIdHeader = "x-request-id";

    public async Task InvokeAsync(HttpContext context)
    {
        var current = applied.Current;
        if (current is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("mesh gateway: no config applied yet (portal not reached and no last-known-good config)\n");
            return;
        }

        var headers = context.Request.Headers;

        // Only this gateway's hop transform may name a hop's instance and caller.
        Hop.HopHeaders.Strip(headers);
        if (string.IsNullOrEmpty(headers[RequestIdHeader]))
        {
            headers[RequestIdHeader] = RequestIds.Next();
        }

        var mesh = new MeshRequestFeature(current.Callers.Identify(context));
        context.Features.Set(mesh);
        var started = time.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            Account(mesh, failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode, time.GetElapsedTime(started));
        }
    }

    private void Account(MeshRequestFeature mesh, int status, TimeSpan elapsed)
    {
        if (mesh.RouteId is not { } route || mesh.Backend is not { } backend)
        {
            metrics.RecordUnrouted();
            return;
        }

        var milliseconds = elapsed.TotalMilliseconds;
        metrics.RecordRequest(route, backend.Service, backend.Subset, status, milliseconds);
        traffic.Record(mesh.Source, route, backend.Service, backend.Subset, status, milliseconds, mesh.Denied);
    }
}

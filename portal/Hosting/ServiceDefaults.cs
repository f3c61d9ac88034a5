using MeshPortal.Portal.Api;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using Npgsql;

namespace MeshPortal.Portal.Hosting;

public static partial class ServiceDefaults
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Liveness and readiness for load balancers and Kubernetes; no login needed.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", async (NpgsqlDataSource db, MeshStateCache cache, ILoggerFactory loggers, CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ReadinessTimeout);
            try
            {
                await using var cmd = db.CreateCommand("SELECT 1");
                await cmd.ExecuteScalarAsync(timeout.Token);
                return Results.Text($"ready at revision {cache.Revision}");
            }
            catch (Exception ex) when (EventStoreUnavailableException.IsUnavailable(ex) || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // Anonymous callers learn only that the store is down; the detail goes to the log.
                LogNotReady(loggers.CreateLogger(typeof(ServiceDefaults)), ex);
                return Results.Text("store unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// A request that meets an unreachable PostgreSQL (in authentication, a read or a write) gets
    /// 503 problem+json with Retry-After instead of an empty 500. Placed before authentication,
    /// because API keys are looked up in the database.
    /// </summary>
    public static IApplicationBuilder UseStoreUnavailableAnswer(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception ex) when (EventStoreUnavailableException.IsUnavailable(ex) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            LogStoreUnavailable(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServiceDefaults)), http.Request.Method, http.Request.Path.Value ?? "", ex);
            http.Response.Clear();
            var outcomeUnknown = ex is EventStoreUnavailableException { OutcomeUnknown: true };
            await CommandResults.StoreUnavailable(outcomeUnknown
                ? ex.Message
                : "the event store is unavailable: nothing was changed; try again shortly").ExecuteAsync(http);
        }
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: the event store is unreachable")]
    private static partial void LogNotReady(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the event store is unreachable")]
    private static partial void LogStoreUnavailable(ILogger logger, string method, string path, Exception ex);
}

using MeshPortal.Portal.Projections;

namespace MeshPortal.Portal.Hosting;

public static class ServiceDefaults
{
    /// <summary>Liveness and readiness for load balancers and Kubernetes; no login needed.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", async (Npgsql.NpgsqlDataSource db, MeshStateCache cache, CancellationToken ct) =>
        {
            try
            {
                await using var cmd = db.CreateCommand("SELECT 1");
                await cmd.ExecuteScalarAsync(ct);
                return Results.Text($"ready at revision {cache.Revision}");
            }
            catch (Npgsql.NpgsqlException ex)
            {
                return Results.Text($"database unreachable: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Api;

public static class ServicesApi
{
    public static IEndpointRouteBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/services").RequireAuthorization(Policies.Read);
        read.MapGet("", (MeshStateCache cache) => cache.State.Services.Values);
        read.MapGet("/{name}", (string name, MeshStateCache cache) =>
            cache.State.Services.TryGetValue(name, out var s) ? Results.Ok(s) : Problems.NotFound($"service '{name}' does not exist"));

        var write = app.MapGroup("/api/services").RequireAuthorization(Policies.ChangeRouting);
        write.MapPost("", DefineAsync);
        return app;
    }

    /// <summary>Registers a service, or replaces it whole (like a catalog registration).</summary>
    private static async Task<IResult> DefineAsync(HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (service, problem) = await JsonBody.ReadAsync<ServiceConfig>(http.Request);
        return problem ?? (await commands.DefineServiceAsync(service!, null, http.Metadata(http.Request.Query["reason"]), ct)).ToHttp();
    }
}

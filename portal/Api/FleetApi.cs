using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Projections;

namespace MeshPortal.Portal.Api;

public sealed record RevisionResponse(long Revision, string Hash);

public sealed record MintTokenRequest(string Node, string? Reason = null);

public static class FleetApi
{
    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(Policies.Read);
        read.MapGet("/revision", (MeshStateCache cache) => new RevisionResponse(cache.Revision, cache.Snapshot.Hash));
        read.MapGet("/gateways", (GatewayRegistry registry) => registry.List());
        read.MapGet("/convergence", (GatewayRegistry registry) => registry.Convergences());
        // The trust bundle gateways get with their certificates: for verifying them from outside the mesh.
        read.MapGet("/mesh-ca", (Security.Ca.MeshCa ca) => Results.Text(ca.TrustBundlePem, "application/x-pem-file"));

        var admin = app.MapGroup("/api/gateway-tokens").RequireAuthorization(Policies.Administer);
        admin.MapGet("", (AccountStore accounts, CancellationToken ct) => accounts.ListGatewayTokensAsync(ct));
        admin.MapPost("", MintAsync);
        admin.MapDelete("/{id}", RevokeAsync);
        return app;
    }

    /// <summary>
    /// Ends this replica's connections on the token at once; other replicas notice within their
    /// token re-check interval (<see cref="TokenRevocationWatcher"/>).
    /// </summary>
    private static async Task<IResult> RevokeAsync(string id, string? reason, HttpContext http, AccountService accounts, FleetConnections connections, CancellationToken ct)
    {
        var result = await accounts.RevokeGatewayTokenAsync(id, http.Command(reason), ct);
        if (result is AccountResult.Done)
        {
            connections.Revoke(id);
        }

        return UsersApi.ToHttp(result, Results.NoContent());
    }

    private static async Task<IResult> MintAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<MintTokenRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var (result, info, token) = await accounts.MintGatewayTokenAsync(request!.Node, http.Command(request.Reason), ct);
        return UsersApi.ToHttp(result, info is null ? Results.NoContent() : TypedResults.Created($"/api/gateway-tokens/{info.Id}", new { info.Id, info.Node, token }));
    }
}

using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Projections;

namespace MeshPortal.Portal.Api;

public sealed record RevisionResponse(long Revision, string Hash);

public sealed record MintTokenRequest(string Node);

public static class FleetApi
{
    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(Policies.Read);
        read.MapGet("/revision", (MeshStateCache cache) => new RevisionResponse(cache.Revision, cache.Snapshot.Hash));
        read.MapGet("/gateways", (GatewayRegistry registry) => registry.List());
        read.MapGet("/convergence", (GatewayRegistry registry) => registry.Convergences());

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
    private static async Task<IResult> RevokeAsync(string id, AccountStore accounts, FleetConnections connections, CancellationToken ct)
    {
        if (!await accounts.RevokeGatewayTokenAsync(id, ct))
        {
            return Problems.NotFound($"no active gateway token '{id}'");
        }

        connections.Revoke(id);
        return Results.NoContent();
    }

    private static async Task<IResult> MintAsync(HttpContext http, AccountStore accounts, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<MintTokenRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (!Shared.Validation.NameRules.IsNodeName(request!.Node))
        {
            return Problems.Field("node", $"'{request.Node}' is not a valid node name (a DNS name such as n1 or ip-10-0-1-2.ec2.internal)");
        }

        var (info, token) = await accounts.MintGatewayTokenAsync(request.Node, http.User.Identity!.Name!, ct);
        return TypedResults.Created($"/api/gateway-tokens/{info.Id}", new { info.Id, info.Node, token });
    }
}

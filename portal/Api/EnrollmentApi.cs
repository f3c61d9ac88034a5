using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Fleet;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.Http.Features;

namespace MeshPortal.Portal.Api;

public sealed record MintJoinTokenRequest
{
    /// <summary>How long the token can enroll nodes; without it, until revoked.</summary>
    public long? ExpiresInSeconds { get; init; }

    /// <summary>How many nodes it can enroll; without it, any number.</summary>
    public int? MaxUses { get; init; }

    public string? Reason { get; init; }
}

/// <summary>Cluster join tokens (admins mint, list and revoke them) and the enrollment they allow.</summary>
public static class EnrollmentApi
{
    public const string RateLimitPolicy = "enroll";

    public static IEndpointRouteBuilder MapEnrollmentApi(this IEndpointRouteBuilder app)
    {
        // Revoked through DELETE /api/gateway-tokens/{id}, like node tokens.
        var admin = app.MapGroup("/api/gateway-tokens/join").RequireAuthorization(Policies.Administer);
        admin.MapGet("", (AccountService accounts, CancellationToken ct) => accounts.ListJoinTokensAsync(ct));
        admin.MapPost("", MintAsync);

        app.MapPost(FleetProtocol.EnrollPath, EnrollAsync).RequireAuthorization(Policies.Enroll).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    private static async Task<IResult> MintAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var request = new MintJoinTokenRequest();
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
        {
            (request, var problem) = await JsonBody.ReadAsync<MintJoinTokenRequest>(http.Request);
            if (problem is not null)
            {
                return problem;
            }
        }

        var (result, info, token) = await accounts.MintJoinTokenAsync(request!.ExpiresInSeconds, request.MaxUses, http.Command(request.Reason), ct);
        return UsersApi.ToHttp(result, info is null
            ? Results.NoContent()
            : TypedResults.Created($"/api/gateway-tokens/join/{info.Id}", new { info.Id, info.ExpiresAt, info.MaxUses, token }));
    }

    private static async Task<IResult> EnrollAsync(HttpContext http, NodeEnrollment enrollment, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<EnrollRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var (result, done) = await enrollment.EnrollAsync(request!.Node, http.Command(null), ct);
        return UsersApi.ToHttp(result, done is null
            ? Results.NoContent()
            : TypedResults.Created(
                $"/api/gateway-tokens/{done.Info.Id}", new EnrollResponse { Id = done.Info.Id, Node = done.Info.Node, Token = done.Token, Replaced = done.Replaced }));
    }
}

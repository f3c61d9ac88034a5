using MeshPortal.Portal.Auth;

namespace MeshPortal.Portal.Api;

public sealed record CreateUserRequest
{
    public required string Name { get; init; }
    public required string Password { get; init; }
    public required string Role { get; init; }
}

public sealed record SetRoleRequest
{
    public required string Role { get; init; }
    public string? Reason { get; init; }
}

public sealed record SetPasswordRequest
{
    public required string NewPassword { get; init; }

    /// <summary>Required when you change your own password.</summary>
    public string? OldPassword { get; init; }
}

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/users").RequireAuthorization(Policies.Administer);
        admin.MapGet("", (AccountStore accounts, CancellationToken ct) => accounts.ListUsersAsync(ct));
        admin.MapPost("", CreateAsync);
        admin.MapDelete("/{name}", async (string name, string? reason, HttpContext http, AccountService service, CancellationToken ct) =>
            ToHttp(await service.DeleteUserAsync(name, http.Command(reason), ct), Results.NoContent()));
        admin.MapPut("/{name}/role", SetRoleAsync);
        admin.MapPost("/{name}/api-keys", async (string name, HttpContext http, AccountService service, CancellationToken ct) =>
        {
            var (result, id, key) = await service.CreateApiKeyAsync(name, http.Command(null), ct);
            return ToHttp(result, Results.Json(new { user = name, id, apiKey = key }, statusCode: StatusCodes.Status201Created));
        });
        admin.MapGet("/{name}/api-keys", async (string name, AccountService service, CancellationToken ct) =>
            await service.ListApiKeysAsync(name, ct) is { } keys ? Results.Ok(keys) : Problems.NotFound($"user '{name}' does not exist"));
        admin.MapDelete("/{name}/api-keys/{id}", async (string name, string id, string? reason, HttpContext http, AccountService service, CancellationToken ct) =>
            ToHttp(await service.RevokeApiKeyAsync(name, id, http.Command(reason), ct), Results.NoContent()));

        // Any signed-in user may change their own password; the service refuses others' unless an admin asks.
        app.MapPut("/api/users/{name}/password", SetPasswordAsync).RequireAuthorization(Policies.Read);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, AccountService service, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<CreateUserRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        return ToHttp(
            await service.CreateUserAsync(request!.Name, request.Password, request.Role, http.Command(null), ct),
            Results.Created($"/api/users/{request.Name}", new UserAccount(request.Name, request.Role)));
    }

    private static async Task<IResult> SetRoleAsync(string name, HttpContext http, AccountService service, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<SetRoleRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        return ToHttp(await service.SetRoleAsync(name, request!.Role, http.Command(request.Reason), ct), Results.Ok(new UserAccount(name, request.Role)));
    }

    private static async Task<IResult> SetPasswordAsync(string name, HttpContext http, AccountService service, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<SetPasswordRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var result = await service.ChangePasswordAsync(
            name, request!.NewPassword, request.OldPassword, http.Command(null), ct);
        return ToHttp(result, Results.NoContent());
    }

    internal static IResult ToHttp(AccountResult result, IResult success) => result switch
    {
        AccountResult.Invalid i => Problems.Field(i.Field, i.Message),
        AccountResult.NotFound n => Problems.NotFound(n.Message),
        AccountResult.Forbidden f => TypedResults.Problem(f.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        AccountResult.Refused r => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status409Conflict, title: "Refused"),
        _ => success,
    };
}

using MeshPortal.Portal.Auth;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Api;

public sealed record CreateUserRequest
{
    public required string Name { get; init; }
    public required string Password { get; init; }
    public required string Role { get; init; }
}

public static class UsersApi
{
    private const int MinPasswordLength = 10;

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/users").RequireAuthorization(Policies.Administer);
        admin.MapGet("", (AccountStore accounts, CancellationToken ct) => accounts.ListUsersAsync(ct));
        admin.MapPost("", CreateAsync);
        admin.MapPost("/{name}/api-keys", async (string name, AccountStore accounts, CancellationToken ct) =>
            await accounts.UserExistsAsync(name, ct)
                ? Results.Json(new { user = name, apiKey = await accounts.CreateApiKeyAsync(name, ct) }, statusCode: StatusCodes.Status201Created)
                : Problems.NotFound($"user '{name}' does not exist"));
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, AccountStore accounts, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<CreateUserRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ErrorCollector();
        if (!NameRules.IsDnsLabel(request!.Name))
        {
            errors.Add("name", $"'{request.Name}' is not a valid user name (lowercase letters, digits and '-')");
        }

        if (request.Password.Length < MinPasswordLength)
        {
            errors.Add("password", $"must be at least {MinPasswordLength} characters");
        }

        if (!Roles.UserRoles.Contains(request.Role))
        {
            errors.Add("role", $"unknown role '{request.Role}' (known: {string.Join(", ", Roles.UserRoles)})");
        }

        if (errors.HasErrors)
        {
            return TypedResults.ValidationProblem(errors.Errors.ToProblemErrors());
        }

        return await accounts.CreateUserAsync(request.Name, request.Password, request.Role, ct)
            ? Results.Created($"/api/users/{request.Name}", new UserAccount(request.Name, request.Role))
            : Problems.Field("name", $"user '{request.Name}' already exists");
    }
}

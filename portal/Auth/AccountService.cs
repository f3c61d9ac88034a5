using MeshPortal.Portal.Store;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Auth;

/// <summary>What an account change came to; the API and the Admin page turn it into an answer.</summary>
public abstract record AccountResult
{
    public static readonly AccountResult Ok = new Done();

    public sealed record Done : AccountResult;

    public sealed record Invalid(string Field, string Message) : AccountResult;

    public sealed record NotFound(string Message) : AccountResult;

    public sealed record Refused(string Message) : AccountResult;

    public sealed record Forbidden(string Message) : AccountResult;
}

/// <summary>
/// The one path for account changes (API and Admin page): validates, stores, ends the sessions
/// the change invalidates, and records it in History with the actor and reason.
/// </summary>
public sealed class AccountService(AccountStore accounts, SessionStore sessions, AccountHistory history, TimeProvider time)
{
    public const int MinPasswordLength = 10;

    private const long MaxJoinTokenLifetimeSeconds = 365L * 24 * 60 * 60;

    public Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken ct) => accounts.ListUsersAsync(ct);

    public Task<IReadOnlyList<GatewayTokenInfo>> ListGatewayTokensAsync(CancellationToken ct) => accounts.ListGatewayTokensAsync(ct);

    /// <summary>Mints a node's token and records it in History (the token itself only goes to the caller).</summary>
    public async Task<(AccountResult Result, GatewayTokenInfo? Info, string? Token)> MintGatewayTokenAsync(string node, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return (NotAdmin, null, null);
        }

        if (!NameRules.IsNodeName(node))
        {
            return (new AccountResult.Invalid("node", $"'{node}' is not {NameRules.NodeNameRule}"), null, null);
        }

        var minted = await accounts.MintGatewayTokenAsync(node, context.Metadata.Actor, ct);
        await history.GatewayTokenMintedAsync(minted.Info, context.Metadata, ct);
        return (AccountResult.Ok, minted.Info, minted.Token);
    }

    public async Task<AccountResult> RevokeGatewayTokenAsync(string id, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return NotAdmin;
        }

        // Node and join tokens share the revoke path: ids are random, so one id names at most one of them.
        if (await accounts.RevokeGatewayTokenAsync(id, ct))
        {
            await history.GatewayTokenRevokedAsync(id, context.Metadata, ct);
            return AccountResult.Ok;
        }

        if (await accounts.RevokeJoinTokenAsync(id, ct))
        {
            await history.JoinTokenRevokedAsync(id, context.Metadata, ct);
            return AccountResult.Ok;
        }

        return new AccountResult.NotFound($"no active gateway or join token '{id}'");
    }

    public Task<IReadOnlyList<JoinTokenInfo>> ListJoinTokensAsync(CancellationToken ct) => accounts.ListJoinTokensAsync(ct);

    /// <summary>
    /// Mints a cluster join token (shown once to the caller, recorded in History without the secret).
    /// It can only enroll nodes, for <paramref name="expiresInSeconds"/> and <paramref name="maxUses"/> when given.
    /// </summary>
    public async Task<(AccountResult Result, JoinTokenInfo? Info, string? Token)> MintJoinTokenAsync(
        long? expiresInSeconds, int? maxUses, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return (NotAdmin, null, null);
        }

        if (expiresInSeconds is < 1 or > MaxJoinTokenLifetimeSeconds)
        {
            return (new AccountResult.Invalid("expiresInSeconds", $"must be between 1 and {MaxJoinTokenLifetimeSeconds} (a year) when given, got {expiresInSeconds}"), null, null);
        }

        if (maxUses is < 1)
        {
            return (new AccountResult.Invalid("maxUses", $"must be at least 1 when given, got {maxUses}"), null, null);
        }

        var expiresAt = expiresInSeconds is { } seconds ? time.GetUtcNow().AddSeconds(seconds) : (DateTimeOffset?)null;
        var (info, token) = await accounts.MintJoinTokenAsync(context.Metadata.Actor, expiresAt, maxUses, ct);
        await history.JoinTokenMintedAsync(info, context.Metadata, ct);
        return (AccountResult.Ok, info, token);
    }

    public async Task<AccountResult> CreateUserAsync(string? name, string? password, string? role, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return NotAdmin;
        }

        if (!NameRules.IsDnsLabel(name))
        {
            return new AccountResult.Invalid("name", $"'{name}' is not a valid user name (lowercase letters, digits and '-')");
        }

        if (CheckPassword(password, "password") is { } weak)
        {
            return weak;
        }

        if (!Roles.UserRoles.Contains(role))
        {
            return new AccountResult.Invalid("role", $"unknown role '{role}' (known: {string.Join(", ", Roles.UserRoles)})");
        }

        if (!await accounts.CreateUserAsync(name!, password!, role!, ct))
        {
            return new AccountResult.Invalid("name", $"user '{name}' already exists");
        }

        await history.RecordAsync(name!, new UserCreated(name!, role!), context.Metadata, ct);
        return AccountResult.Ok;
    }

    public async Task<(AccountResult Result, string? Id, string? Key)> CreateApiKeyAsync(string user, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return (NotAdmin, null, null);
        }

        if (await accounts.FindUserAsync(user, ct) is null)
        {
            return (UnknownUser(user), null, null);
        }

        var (id, key) = await accounts.CreateApiKeyAsync(user, ct);
        await history.RecordAsync(user, new ApiKeyCreated(user, id), context.Metadata, ct);
        return (AccountResult.Ok, id, key);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>?> ListApiKeysAsync(string user, CancellationToken ct) =>
        await accounts.FindUserAsync(user, ct) is null ? null : await accounts.ListApiKeysAsync(user, ct);

    public async Task<AccountResult> RevokeApiKeyAsync(string user, string id, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return NotAdmin;
        }

        if (!await accounts.RevokeApiKeyAsync(user, id, ct))
        {
            return new AccountResult.NotFound($"user '{user}' has no active API key '{id}'");
        }

        await history.RecordAsync(user, new ApiKeyRevoked(user, id), context.Metadata, ct);
        return AccountResult.Ok;
    }

    public async Task<AccountResult> DeleteUserAsync(string user, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return NotAdmin;
        }

        if (user == context.Metadata.Actor)
        {
            return new AccountResult.Refused("you cannot delete yourself; another admin can");
        }

        var result = await accounts.DeleteUserAsync(user, ct);
        if (Failure(result, user) is { } failure)
        {
            return failure;
        }

        await sessions.EndAllAsync(user, ct);
        await history.RecordAsync(user, new UserDeleted(user), context.Metadata, ct);
        return AccountResult.Ok;
    }

    public async Task<AccountResult> SetRoleAsync(string user, string? role, CommandContext context, CancellationToken ct)
    {
        if (!context.MayAdminister)
        {
            return NotAdmin;
        }

        if (!Roles.UserRoles.Contains(role))
        {
            return new AccountResult.Invalid("role", $"unknown role '{role}' (known: {string.Join(", ", Roles.UserRoles)})");
        }

        var before = await accounts.FindUserAsync(user, ct);
        if (before is null)
        {
            return UnknownUser(user);
        }

        if (before.Role == role)
        {
            return AccountResult.Ok;
        }

        if (Failure(await accounts.SetRoleAsync(user, role!, ct), user) is { } failure)
        {
            return failure;
        }

        // A session carries the role it signed in with: end them, so the user signs in again with the new one.
        await sessions.EndAllAsync(user, ct);
        await history.RecordAsync(user, new UserRoleChanged(user, before.Role, role!), context.Metadata, ct);
        return AccountResult.Ok;
    }

    /// <summary>
    /// Admins set anyone's password; changing your own needs the current one, so a session left
    /// open cannot lock its owner out.
    /// </summary>
    public async Task<AccountResult> ChangePasswordAsync(
        string user, string? newPassword, string? oldPassword, CommandContext context, CancellationToken ct)
    {
        var own = context.User.Identity?.IsAuthenticated == true && user == context.Metadata.Actor;
        if (!own && !context.MayAdminister)
        {
            return new AccountResult.Forbidden("only an admin can change another user's password");
        }

        if (CheckPassword(newPassword, "newPassword") is { } weak)
        {
            return weak;
        }

        if (own && (oldPassword is null || await accounts.VerifyPasswordAsync(user, oldPassword, ct) is null))
        {
            return new AccountResult.Invalid("oldPassword", "is not your current password");
        }

        if (!await accounts.SetPasswordAsync(user, newPassword!, ct))
        {
            return UnknownUser(user);
        }

        await sessions.EndAllAsync(user, ct);
        await history.RecordAsync(user, new UserPasswordChanged(user), context.Metadata, ct);
        return AccountResult.Ok;
    }

    private static AccountResult? CheckPassword(string? password, string field) =>
        (password?.Length ?? 0) < MinPasswordLength ? new AccountResult.Invalid(field, $"must be at least {MinPasswordLength} characters") : null;

    /// <summary>Checked here as well as on the endpoints and pages, so a caller that forgets its own check still cannot change accounts.</summary>
    private static readonly AccountResult.Forbidden NotAdmin = new("only an admin can change users, API keys, gateway and join tokens");

    private static AccountResult.NotFound UnknownUser(string user) => new($"user '{user}' does not exist");

    private static AccountResult? Failure(AdminChange change, string user) => change switch
    {
        AdminChange.NotFound => UnknownUser(user),
        AdminChange.LastAdmin => new AccountResult.Refused($"'{user}' is the last admin; make another admin first"),
        _ => null,
    };
}

using Marten;

namespace MeshPortal.Portal.Auth;

/// <summary>An API key as listed: never the key, nor its hash.</summary>
public sealed record ApiKeyInfo(string Id, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public enum AdminChange
{
    Done,
    NotFound,
    LastAdmin,
}

/// <summary>Changing, revoking and deleting accounts.</summary>
public sealed partial class AccountStore
{
    /// <summary>Serialization failures are retried; past this many the store is too contended to go on.</summary>
    private const int AdminChangeAttempts = 10;

    public async Task<UserAccount?> FindUserAsync(string name, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<UserDoc>(name, ct) is { } user ? new UserAccount(user.Id, user.Role) : null;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string userName, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var keys = await session.Query<ApiKeyDoc>().Where(k => k.UserName == userName)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct);
        return keys.Select(k => new ApiKeyInfo(k.Id, k.CreatedAt, k.RevokedAt)).ToList();
    }

    /// <summary>False when the user has no active key with that id; of two concurrent revocations exactly one answers true.</summary>
    public async Task<bool> RevokeApiKeyAsync(string userName, string id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var key = await session.LoadAsync<ApiKeyDoc>(id, ct);
        if (key is not { RevokedAt: null } || key.UserName != userName)
        {
            return false;
        }

        session.Update(key with { RevokedAt = time.GetUtcNow() });
        return await SavedFirstAsync(session, ct);
    }

    public async Task<bool> SetPasswordAsync(string name, string password, CancellationToken ct)
    {
        var hash = Passwords.Hash(password);
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<UserDoc>(name, ct) is not { } user)
            {
                return false;
            }

            session.Update(user with { PasswordHash = hash });
            if (await SavedFirstAsync(session, ct))
            {
                return true;
            }

            if (attempt == AdminChangeAttempts)
            {
                throw new InvalidOperationException($"The password of '{name}' kept changing under {AdminChangeAttempts} attempts to set it.");
            }
        }
    }

    /// <summary>Deletes the user with their keys and sessions, unless they are the last admin.</summary>
    public Task<AdminChange> DeleteUserAsync(string name, CancellationToken ct) =>
        InAdminCheckAsync(name, Roles.Viewer, (session, _) =>
        {
            session.DeleteWhere<ApiKeyDoc>(k => k.UserName == name);
            session.DeleteWhere<SessionDoc>(s => s.UserName == name);
            session.Delete<UserDoc>(name);
        }, ct);

    /// <summary>Sets the role, unless that would take it from the last admin.</summary>
    public Task<AdminChange> SetRoleAsync(string name, string role, CancellationToken ct) =>
        InAdminCheckAsync(name, role, (session, user) => session.Update(user with { Role = role }), ct);

    /// <summary>
    /// Reads the user and the number of admins and applies the change in one session that also
    /// rewrites the <see cref="AdminGuard"/> at the version it read. Of two replicas demoting the
    /// last two admins at once only one can commit (the other's guard is stale); it is retried and
    /// then sees a single admin.
    /// </summary>
    private async Task<AdminChange> InAdminCheckAsync(string name, string newRole, Action<IDocumentSession, UserDoc> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var guard = await session.LoadAsync<AdminGuard>(AdminGuard.TheId, ct);
            var user = await session.LoadAsync<UserDoc>(name, ct);
            if (user is null)
            {
                return AdminChange.NotFound;
            }

            if (user.Role == Roles.Admin && newRole != Roles.Admin
                && await session.Query<UserDoc>().CountAsync(u => u.Role == Roles.Admin, ct) <= 1)
            {
                return AdminChange.LastAdmin;
            }

            change(session, user);
            if (guard is null)
            {
                session.Insert(new AdminGuard { Id = AdminGuard.TheId, Changes = 1 });
            }
            else
            {
                session.Update(guard with { Changes = guard.Changes + 1 });
            }

            if (await SavedFirstAsync(session, ct))
            {
                return AdminChange.Done;
            }

            if (attempt == AdminChangeAttempts)
            {
                throw new InvalidOperationException($"Accounts kept changing under {AdminChangeAttempts} attempts to change '{name}'.");
            }
        }
    }
}

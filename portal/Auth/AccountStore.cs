using Marten;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Portal.Auth;

public sealed record UserAccount(string Name, string Role);

public sealed record GatewayTokenInfo(string Id, string Node, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A gateway token's id and node when it is in force, else why it is refused.</summary>
public sealed record GatewayTokenCheck(string? Id, string? Node, string? Refusal);

/// <summary>Users, their API keys and the fleet's gateway tokens, as Marten documents. Only hashes of secrets are stored.</summary>
public sealed partial class AccountStore(IDocumentStore store, TimeProvider time)
{
    public async Task<bool> AnyUserAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<UserDoc>().AnyAsync(ct);
    }

    /// <summary>False when the name is taken (the name is the document id, so this holds across replicas).</summary>
    public async Task<bool> CreateUserAsync(string name, string password, string role, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Insert(new UserDoc { Id = name, PasswordHash = Passwords.Hash(password), Role = role, CreatedAt = time.GetUtcNow() });
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task<bool> UserExistsAsync(string name, CancellationToken ct) => await FindUserAsync(name, ct) is not null;

    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var users = await session.Query<UserDoc>().OrderBy(u => u.Id).ToListAsync(ct);
        return users.Select(u => new UserAccount(u.Id, u.Role)).ToList();
    }

    /// <summary>
    /// The user when the password is right. An unknown user costs one hash check like a known one,
    /// so timing does not tell which names exist; an outdated hash is replaced on success.
    /// </summary>
    public async Task<UserAccount?> VerifyPasswordAsync(string name, string password, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var user = await session.LoadAsync<UserDoc>(name, ct);
        var result = Passwords.Verify(user?.PasswordHash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Optimistic concurrency: a password changed meanwhile is not overwritten by the rehash.
            session.Update(user with { PasswordHash = Passwords.Hash(password) });
            await SavedFirstAsync(session, ct);
        }

        return new UserAccount(user.Id, user.Role);
    }

    /// <summary>A new key for the user: its id (listed, revocable) and the key itself (shown once).</summary>
    public async Task<(string Id, string Key)> CreateApiKeyAsync(string userName, CancellationToken ct)
    {
        var key = Secrets.NewToken("mpk_");
        var id = Secrets.NewId();
        await using var session = store.LightweightSession();
        session.Insert(new ApiKeyDoc { Id = id, KeyHash = Secrets.HashKey(key), UserName = userName, CreatedAt = time.GetUtcNow() });
        await session.SaveChangesAsync(ct);
        return (id, key);
    }

    public async Task<UserAccount?> FindByApiKeyAsync(string key, CancellationToken ct)
    {
        var hash = Secrets.HashKey(key);
        await using var session = store.QuerySession();
        UserDoc? user = null;
        var found = await session.Query<ApiKeyDoc>()
            .Include<UserDoc>(k => k.UserName, u => user = u)
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .SingleOrDefaultAsync(ct);
        return found is not null && user is not null ? new UserAccount(user.Id, user.Role) : null;
    }

    public async Task<(GatewayTokenInfo Info, string Token)> MintGatewayTokenAsync(string node, string createdBy, CancellationToken ct)
    {
        var token = Secrets.NewToken("mgt_");
        var info = new GatewayTokenInfo(Secrets.NewId(), node, createdBy, time.GetUtcNow(), null);
        await using var session = store.LightweightSession();
        session.Insert(new GatewayTokenDoc
        {
            Id = info.Id, Node = node, TokenHash = Secrets.HashKey(token), CreatedBy = createdBy, CreatedAt = info.CreatedAt,
        });
        await session.SaveChangesAsync(ct);
        return (info, token);
    }

    /// <summary>False when no token in force has that id; of two concurrent revocations exactly one answers true.</summary>
    public async Task<bool> RevokeGatewayTokenAsync(string id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var token = await session.LoadAsync<GatewayTokenDoc>(id, ct);
        if (token is not { RevokedAt: null })
        {
            return false;
        }

        session.Update(token with { RevokedAt = time.GetUtcNow() });
        return await SavedFirstAsync(session, ct);
    }

    public async Task<IReadOnlyList<GatewayTokenInfo>> ListGatewayTokensAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var tokens = await session.Query<GatewayTokenDoc>().OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ct);
        return tokens.Select(t => new GatewayTokenInfo(t.Id, t.Node, t.CreatedBy, t.CreatedAt, t.RevokedAt)).ToList();
    }

    /// <summary>The node of token <paramref name="id"/>, revoked or not; null when there is no such token.</summary>
    public async Task<string?> GatewayTokenNodeAsync(string id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.LoadAsync<GatewayTokenDoc>(id, ct))?.Node;
    }

    /// <summary>The token's id and node, or why it is refused (unknown or revoked).</summary>
    public async Task<GatewayTokenCheck> CheckGatewayTokenAsync(string token, CancellationToken ct)
    {
        var hash = Secrets.HashKey(token);
        await using var session = store.QuerySession();
        var found = await session.Query<GatewayTokenDoc>().Where(t => t.TokenHash == hash).SingleOrDefaultAsync(ct);
        return found switch
        {
            null => new GatewayTokenCheck(null, null, "unknown token"),
            { RevokedAt: null } => new GatewayTokenCheck(found.Id, found.Node, null),
            _ => new GatewayTokenCheck(null, null, $"token for node '{found.Node}' was revoked at {found.RevokedAt:u}"),
        };
    }

    /// <summary>Which of <paramref name="ids"/> are gateway tokens still in force: one query for a whole fleet.</summary>
    public async Task<IReadOnlySet<string>> ActiveGatewayTokenIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var wanted = ids.ToArray();
        await using var session = store.QuerySession();
        var active = await session.Query<GatewayTokenDoc>()
            .Where(t => wanted.Contains(t.Id) && t.RevokedAt == null)
            .Select(t => t.Id)
            .ToListAsync(ct);
        return active.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Saves; false when a concurrent writer changed the document since it was loaded.</summary>
    private static async Task<bool> SavedFirstAsync(IDocumentSession session, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (AccountDocuments.IsConflict(e))
        {
            return false;
        }
    }
}

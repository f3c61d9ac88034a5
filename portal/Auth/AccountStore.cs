using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace MeshPortal.Portal.Auth;

public sealed record UserAccount(string Name, string Role);

public sealed record GatewayTokenInfo(string Id, string Node, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A gateway token's id and node when it is in force, else why it is refused.</summary>
public sealed record GatewayTokenCheck(string? Id, string? Node, string? Refusal);

/// <summary>Users, their API keys and the fleet's gateway tokens. Only hashes of secrets are stored.</summary>
public sealed partial class AccountStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<bool> AnyUserAsync(CancellationToken ct) =>
        await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM mesh_users)", ct);

    public async Task<bool> CreateUserAsync(string name, string password, string role, CancellationToken ct) =>
        await ExecuteAsync(
            "INSERT INTO mesh_users (name, password_hash, role, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
            ct, name, Passwords.Hash(password), role, time.GetUtcNow()) == 1;

    public async Task<bool> UserExistsAsync(string name, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM mesh_users WHERE name = $1)");
        cmd.Parameters.AddWithValue(name);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT name, role FROM mesh_users ORDER BY name");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new List<UserAccount>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new UserAccount(reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }

    /// <summary>
    /// The user when the password is right. An unknown user costs one hash check like a known one,
    /// so timing does not tell which names exist; an outdated hash is replaced on success.
    /// </summary>
    public async Task<UserAccount?> VerifyPasswordAsync(string name, string password, CancellationToken ct)
    {
        string? hash = null;
        string? role = null;
        await using (var cmd = dataSource.CreateCommand("SELECT password_hash, role FROM mesh_users WHERE name = $1"))
        {
            cmd.Parameters.AddWithValue(name);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                (hash, role) = (reader.GetString(0), reader.GetString(1));
            }
        }

        var result = Passwords.Verify(hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await ExecuteAsync("UPDATE mesh_users SET password_hash = $2 WHERE name = $1 AND password_hash = $3", ct, name, Passwords.Hash(password), hash!);
        }

        return result == PasswordVerificationResult.Failed ? null : new UserAccount(name, role!);
    }

    /// <summary>A new key for the user: its id (listed, revocable) and the key itself (shown once).</summary>
    public async Task<(string Id, string Key)> CreateApiKeyAsync(string userName, CancellationToken ct)
    {
        var key = Secrets.NewToken("mpk_");
        var id = Secrets.NewId();
        await ExecuteAsync(
            "INSERT INTO mesh_api_keys (id, key_hash, user_name, created_at) VALUES ($1, $2, $3, $4)",
            ct, id, Secrets.HashKey(key), userName, time.GetUtcNow());
        return (id, key);
    }

    public async Task<UserAccount?> FindByApiKeyAsync(string key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT u.name, u.role FROM mesh_api_keys k JOIN mesh_users u ON u.name = k.user_name WHERE k.key_hash = $1 AND k.revoked_at IS NULL");
        cmd.Parameters.AddWithValue(Secrets.HashKey(key));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new UserAccount(reader.GetString(0), reader.GetString(1)) : null;
    }

    public async Task<(GatewayTokenInfo Info, string Token)> MintGatewayTokenAsync(string node, string createdBy, CancellationToken ct)
    {
        var token = Secrets.NewToken("mgt_");
        var info = new GatewayTokenInfo(Secrets.NewId(), node, createdBy, time.GetUtcNow(), null);
        await ExecuteAsync(
            "INSERT INTO mesh_gateway_tokens (id, node, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            ct, info.Id, node, Secrets.HashKey(token), createdBy, info.CreatedAt);
        return (info, token);
    }

    public async Task<bool> RevokeGatewayTokenAsync(string id, CancellationToken ct) =>
        await ExecuteAsync("UPDATE mesh_gateway_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", ct, id, time.GetUtcNow()) == 1;

    public async Task<IReadOnlyList<GatewayTokenInfo>> ListGatewayTokensAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, node, created_by, created_at, revoked_at FROM mesh_gateway_tokens ORDER BY created_at");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new List<GatewayTokenInfo>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new GatewayTokenInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return result;
    }

    /// <summary>The token's id and node, or why it is refused (unknown or revoked).</summary>
    public async Task<GatewayTokenCheck> CheckGatewayTokenAsync(string token, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, node, revoked_at FROM mesh_gateway_tokens WHERE token_hash = $1");
        cmd.Parameters.AddWithValue(Secrets.HashKey(token));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return new GatewayTokenCheck(null, null, "unknown token");
        }

        return reader.IsDBNull(2)
            ? new GatewayTokenCheck(reader.GetString(0), reader.GetString(1), null)
            : new GatewayTokenCheck(null, null, $"token for node '{reader.GetString(1)}' was revoked at {reader.GetFieldValue<DateTimeOffset>(2):u}");
    }

    /// <summary>Which of <paramref name="ids"/> are gateway tokens still in force: one query for a whole fleet.</summary>
    public async Task<IReadOnlySet<string>> ActiveGatewayTokenIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id FROM mesh_gateway_tokens WHERE id = ANY($1) AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue(ids.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var active = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            active.Add(reader.GetString(0));
        }

        return active;
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.AddWithValue(arg);
        }

        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

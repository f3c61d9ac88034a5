using Npgsql;

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
    /// <summary>Serialises changes that could leave the mesh without an admin.</summary>
    private const long AdminLockKey = 0x4D455348_0003;

    public async Task<UserAccount?> FindUserAsync(string name, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT role FROM mesh_users WHERE name = $1");
        cmd.Parameters.AddWithValue(name);
        return await cmd.ExecuteScalarAsync(ct) is string role ? new UserAccount(name, role) : null;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string userName, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, created_at, revoked_at FROM mesh_api_keys WHERE user_name = $1 ORDER BY created_at, id");
        cmd.Parameters.AddWithValue(userName);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new ApiKeyInfo(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return result;
    }

    /// <summary>False when the user has no active key with that id.</summary>
    public async Task<bool> RevokeApiKeyAsync(string userName, string id, CancellationToken ct) =>
        await ExecuteAsync(
            "UPDATE mesh_api_keys SET revoked_at = $3 WHERE user_name = $1 AND id = $2 AND revoked_at IS NULL",
            ct, userName, id, time.GetUtcNow()) == 1;

    public async Task<bool> SetPasswordAsync(string name, string password, CancellationToken ct) =>
        await ExecuteAsync("UPDATE mesh_users SET password_hash = $2 WHERE name = $1", ct, name, Passwords.Hash(password)) == 1;

    /// <summary>Deletes the user with their keys and sessions, unless they are the last admin.</summary>
    public Task<AdminChange> DeleteUserAsync(string name, CancellationToken ct) =>
        InAdminLockAsync(name, Roles.Viewer, async (conn, tx) =>
        {
            await using var keys = new NpgsqlCommand("DELETE FROM mesh_api_keys WHERE user_name = $1", conn, tx) { Parameters = { new() { Value = name } } };
            await keys.ExecuteNonQueryAsync(ct);
            await using var user = new NpgsqlCommand("DELETE FROM mesh_users WHERE name = $1", conn, tx) { Parameters = { new() { Value = name } } };
            await user.ExecuteNonQueryAsync(ct);
        }, ct);

    /// <summary>Sets the role, unless that would take it from the last admin.</summary>
    public Task<AdminChange> SetRoleAsync(string name, string role, CancellationToken ct) =>
        InAdminLockAsync(name, role, async (conn, tx) =>
        {
            await using var cmd = new NpgsqlCommand("UPDATE mesh_users SET role = $2 WHERE name = $1", conn, tx)
            {
                Parameters = { new() { Value = name }, new() { Value = role } },
            };
            await cmd.ExecuteNonQueryAsync(ct);
        }, ct);

    private async Task<AdminChange> InAdminLockAsync(
        string name, string newRole, Func<NpgsqlConnection, NpgsqlTransaction, Task> change, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdminLockKey})", conn, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        string? role;
        long admins;
        await using (var cmd = new NpgsqlCommand(
            "SELECT (SELECT role FROM mesh_users WHERE name = $1), (SELECT count(*) FROM mesh_users WHERE role = $2)", conn, tx))
        {
            cmd.Parameters.AddWithValue(name);
            cmd.Parameters.AddWithValue(Roles.Admin);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            role = reader.IsDBNull(0) ? null : reader.GetString(0);
            admins = reader.GetInt64(1);
        }

        if (role is null)
        {
            return AdminChange.NotFound;
        }

        if (role == Roles.Admin && newRole != Roles.Admin && admins <= 1)
        {
            return AdminChange.LastAdmin;
        }

        await change(conn, tx);
        await tx.CommitAsync(ct);
        return AdminChange.Done;
    }
}

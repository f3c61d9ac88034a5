using Marten;
using Npgsql;

namespace MeshPortal.Portal.Auth;

/// <summary>Records that the account tables of the previous version were carried into documents.</summary>
public sealed record AccountUpgradeMarker
{
    public const string TheId = "account-tables";

    public required string Id { get; init; }
    public required DateTimeOffset CopiedAt { get; init; }
    public required int Users { get; init; }
    public required int ApiKeys { get; init; }
    public required int GatewayTokens { get; init; }
    public required int Sessions { get; init; }
    public required int DataProtectionKeys { get; init; }
}

/// <summary>
/// On the first start of the document-based version, copies the previous version's account
/// tables (mesh_users, mesh_api_keys, mesh_gateway_tokens, mesh_dataprotection_keys, and
/// mesh_sessions where an unreleased build made it) into documents, once. The copy, the marker
/// and an advisory lock share one transaction, so two replicas starting together copy once and
/// a failed copy leaves nothing behind. The old tables are only read, never changed or dropped.
/// </summary>
public static partial class AccountTableImport
{
    /// <summary>Serialises the copy across replicas (distinct from the other portal lock keys).</summary>
    private const long LockKey = 0x4D455348_0010;

    public static async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var store = services.GetRequiredService<IDocumentStore>();
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountTableImport));

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({LockKey})", ct);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(tx));
        if (await session.LoadAsync<AccountUpgradeMarker>(AccountUpgradeMarker.TheId, ct) is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var users = await ReadAsync(conn, tx, "mesh_users", "SELECT name, password_hash, role, created_at FROM mesh_users", r => new UserDoc
        {
            Id = r.GetString(0), PasswordHash = r.GetString(1), Role = r.GetString(2), CreatedAt = r.GetFieldValue<DateTimeOffset>(3),
        }, ct);
        var keys = await ReadAsync(conn, tx, "mesh_api_keys", "SELECT id, key_hash, user_name, created_at, revoked_at FROM mesh_api_keys", r => new ApiKeyDoc
        {
            Id = r.GetString(0), KeyHash = r.GetString(1), UserName = r.GetString(2), CreatedAt = r.GetFieldValue<DateTimeOffset>(3), RevokedAt = NullableTime(r, 4),
        }, ct);
        var tokens = await ReadAsync(conn, tx, "mesh_gateway_tokens", "SELECT id, node, token_hash, created_by, created_at, revoked_at FROM mesh_gateway_tokens", r => new GatewayTokenDoc
        {
            Id = r.GetString(0), Node = r.GetString(1), TokenHash = r.GetString(2), CreatedBy = r.GetString(3),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(4), RevokedAt = NullableTime(r, 5),
        }, ct);
        var sessions = await ReadAsync(conn, tx, "mesh_sessions", "SELECT id_hash, user_name, created_at, expires_at FROM mesh_sessions", r => new SessionDoc
        {
            Id = r.GetString(0), UserName = r.GetString(1), CreatedAt = r.GetFieldValue<DateTimeOffset>(2), ExpiresAt = r.GetFieldValue<DateTimeOffset>(3),
        }, ct);
        var dpKeys = await ReadAsync(conn, tx, "mesh_dataprotection_keys", "SELECT name, xml FROM mesh_dataprotection_keys", r => new DataProtectionKeyDoc
        {
            Id = r.GetString(0), Xml = r.GetString(1),
        }, ct);

        var live = sessions.Where(s => s.ExpiresAt > now).ToList();
        session.StoreObjects([.. users, .. keys, .. tokens, .. live, .. dpKeys]);
        var marker = new AccountUpgradeMarker
        {
            Id = AccountUpgradeMarker.TheId, CopiedAt = now, Users = users.Count, ApiKeys = keys.Count,
            GatewayTokens = tokens.Count, Sessions = live.Count, DataProtectionKeys = dpKeys.Count,
        };
        session.Store(marker);
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (users.Count + keys.Count + tokens.Count + dpKeys.Count > 0)
        {
            LogCopied(logger, marker.Users, marker.ApiKeys, marker.GatewayTokens, marker.Sessions, marker.DataProtectionKeys);
        }
    }

    /// <summary>The table's rows, or none when the table does not exist (a database the previous version never used).</summary>
    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection conn, NpgsqlTransaction tx, string table, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", conn, tx) { Parameters = { new() { Value = table } } })
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return [];
            }
        }

        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Carried the previous version's account tables into documents: {Users} users, {ApiKeys} API keys, {GatewayTokens} gateway tokens, {Sessions} sessions, {DataProtectionKeys} data-protection keys; the old tables are left as they were")]
    private static partial void LogCopied(ILogger logger, int users, int apiKeys, int gatewayTokens, int sessions, int dataProtectionKeys);
}

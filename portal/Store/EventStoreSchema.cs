using Npgsql;

namespace MeshPortal.Portal.Store;

/// <summary>Creates and migrates the schema on start. Every statement is idempotent.</summary>
public static class EventStoreSchema
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS mesh_dataprotection_keys (
            name text PRIMARY KEY,
            xml  text NOT NULL
        );
        CREATE TABLE IF NOT EXISTS mesh_users (
            name          text PRIMARY KEY,
            password_hash text NOT NULL,
            role          text NOT NULL,
            created_at    timestamptz NOT NULL
        );
        CREATE TABLE IF NOT EXISTS mesh_api_keys (
            id         text PRIMARY KEY,
            key_hash   text NOT NULL UNIQUE,
            user_name  text NOT NULL REFERENCES mesh_users(name),
            created_at timestamptz NOT NULL,
            revoked_at timestamptz
        );
        CREATE TABLE IF NOT EXISTS mesh_sessions (
            id_hash    text PRIMARY KEY,
            user_name  text NOT NULL REFERENCES mesh_users(name) ON DELETE CASCADE,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS mesh_sessions_user ON mesh_sessions (user_name);
        CREATE TABLE IF NOT EXISTS mesh_gateway_tokens (
            id         text PRIMARY KEY,
            node       text NOT NULL,
            token_hash text NOT NULL UNIQUE,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz
        );
        """;

    /// <summary>Serialises concurrent migrations from several portal replicas.</summary>
    private const long MigrationLockKey = 0x4D455348_0001;

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLockKey})", conn, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand(Ddl, conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }
}

using Npgsql;

namespace MeshPortal.Portal.Store;

/// <summary>Creates and migrates the schema on start. Every statement is idempotent.</summary>
public static class EventStoreSchema
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS mesh_events (
            position       bigint      PRIMARY KEY,
            stream_id      text        NOT NULL,
            stream_version bigint      NOT NULL,
            event_type     text        NOT NULL,
            data           jsonb       NOT NULL,
            metadata       jsonb       NOT NULL,
            created_at     timestamptz NOT NULL,
            UNIQUE (stream_id, stream_version)
        );
        CREATE INDEX IF NOT EXISTS mesh_events_actor ON mesh_events ((metadata->>'actor'));
        CREATE TABLE IF NOT EXISTS mesh_snapshots (
            revision   bigint      PRIMARY KEY,
            state      jsonb       NOT NULL,
            created_at timestamptz NOT NULL
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

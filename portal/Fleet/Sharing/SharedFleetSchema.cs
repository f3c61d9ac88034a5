using MeshPortal.Portal.Store;
using Npgsql;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// The tables through which portal replicas share what only one of them hears: which gateways are
/// connected where, and their telemetry. UNLOGGED: it is seconds-old live state that every replica
/// rewrites, not history, so it skips the write-ahead log and is simply empty after a crash.
/// </summary>
public static class SharedFleetSchema
{
    public const string Replicas = MartenSetup.Schema + ".fleet_replicas";
    public const string Telemetry = MartenSetup.Schema + ".fleet_telemetry";

    private const string Ddl = $"""
        CREATE SCHEMA IF NOT EXISTS {MartenSetup.Schema};
        CREATE UNLOGGED TABLE IF NOT EXISTS {Replicas} (
            replica text PRIMARY KEY,
            seen_at timestamptz NOT NULL,
            gateways jsonb NOT NULL,
            convergences jsonb NOT NULL);
        CREATE UNLOGGED TABLE IF NOT EXISTS {Telemetry} (
            id bigserial PRIMARY KEY,
            replica text NOT NULL,
            at timestamptz NOT NULL DEFAULT now(),
            batch jsonb NOT NULL);
        CREATE INDEX IF NOT EXISTS fleet_telemetry_at ON {Telemetry} (at);
        """;

    public static async Task ApplyAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Ddl);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

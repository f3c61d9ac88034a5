using System.Text.Json;
using MeshPortal.Shared.Serialization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Shares this replica's part of the fleet with the others through PostgreSQL once a second: one
/// row per replica holding its gateways' states and convergences, read back for every other replica
/// still alive (seen within <see cref="ReplicaTimeout"/> by the database's clock, so replicas'
/// clocks do not matter). A replica that stops deletes its row and closes its gateways'
/// connections, so they reconnect to another replica at once; one that dies drops out after the timeout.
/// </summary>
public sealed partial class FleetStateShare(
    NpgsqlDataSource db, GatewayRegistry registry, FleetConnections connections, IOptions<FleetOptions> options,
    TimeProvider time, ILogger<FleetStateShare> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ReplicaTimeout = TimeSpan.FromSeconds(5);

    private string Replica => options.Value.ReplicaName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        for (var cycle = 0; !stoppingToken.IsCancellationRequested; cycle++)
        {
            try
            {
                registry.OthersShared(await ShareAsync(stoppingToken));
                if (cycle % 60 == 0)
                {
                    await PruneAsync(stoppingToken);
                }

                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The store is away (or a peer wrote what this version cannot read): this replica's own
                // gateways still show, the others' reappear with it; the loop must outlive any of this.
                if (!failing)
                {
                    LogShareFailed(ex.Message);
                }

                failing = true;
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var cmd = db.CreateCommand($"DELETE FROM {SharedFleetSchema.Replicas} WHERE replica = $1");
            cmd.Parameters.AddWithValue(Replica);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            LogShareFailed(ex.Message);
        }

        LogDraining(connections.EndAll());
    }

    /// <summary>
    /// One statement a cycle, writing this replica's row and reading the others': with a pooled
    /// connection it is one round trip a second per replica, whatever the size of the fleet.
    /// </summary>
    private async Task<SharedFleet> ShareAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            WITH mine AS (
                INSERT INTO {SharedFleetSchema.Replicas} (replica, seen_at, gateways, convergences) VALUES ($1, now(), $2, $3)
                ON CONFLICT (replica) DO UPDATE SET seen_at = now(), gateways = excluded.gateways, convergences = excluded.convergences)
            SELECT gateways::text, convergences::text FROM {SharedFleetSchema.Replicas}
            WHERE replica <> $1 AND seen_at > now() - $4
            """);
        cmd.Parameters.AddWithValue(Replica);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(registry.LocalList(), MeshJson.Options));
        cmd.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(registry.LocalConvergences(), MeshJson.Options));
        cmd.Parameters.AddWithValue(ReplicaTimeout);
        var gateways = new List<GatewayStatus>();
        var convergences = new List<RevisionConvergence>();
        var replicas = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            replicas++;
            gateways.AddRange(JsonSerializer.Deserialize<List<GatewayStatus>>(reader.GetString(0), MeshJson.Options) ?? []);
            convergences.AddRange(JsonSerializer.Deserialize<List<RevisionConvergence>>(reader.GetString(1), MeshJson.Options) ?? []);
        }

        return new SharedFleet(replicas, gateways, convergences);
    }

    /// <summary>Rows of replicas long gone (killed, so they never deleted their own): any replica clears them.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        await using var prune = db.CreateCommand($"DELETE FROM {SharedFleetSchema.Replicas} WHERE seen_at < now() - interval '1 minute'");
        await prune.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning, Message = "Could not share fleet state with the other replicas: {Error}")]
    private partial void LogShareFailed(string error);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Information, Message = "Stopping: closed {Count} gateway connections so they move to another replica")]
    private partial void LogDraining(int count);
}

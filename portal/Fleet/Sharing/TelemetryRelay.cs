using System.Collections.Concurrent;
using System.Text.Json;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Passes telemetry between replicas: the batches this replica's gateways send are written to
/// PostgreSQL every <see cref="Interval"/> while another replica is alive (one statement for all of them), and the other replicas'
/// batches are read back into this replica's <see cref="TelemetryStore"/>, so every replica draws
/// all of the traffic. Rows live a minute: long enough for a replica that starts to fill its graph.
/// </summary>
public sealed partial class TelemetryRelay(
    NpgsqlDataSource db, TelemetryStore store, GatewayRegistry registry, IOptions<FleetOptions> options, TimeProvider time,
    ILogger<TelemetryRelay> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>Records waiting to be written; beyond this a batch is not relayed (this replica still has it).</summary>
    private const int MaxPendingRecords = 20_000;

    private const int ReadLimit = 2_000;

    private readonly ConcurrentQueue<TelemetryBatch> _pending = new();
    private int _pendingRecords;
    private long _lastRead;

    /// <summary>A batch this replica took from one of its gateways; kept for the others only while there are others.</summary>
    public void Relay(TelemetryBatch batch)
    {
        if (!registry.HasPeers)
        {
            return;
        }

        if (Interlocked.Add(ref _pendingRecords, batch.Records.Count) > MaxPendingRecords)
        {
            Interlocked.Add(ref _pendingRecords, -batch.Records.Count);
            return;
        }

        _pending.Enqueue(batch);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        for (var cycle = 0; !stoppingToken.IsCancellationRequested; cycle++)
        {
            try
            {
                // Alone, a replica has no one to share with: not one query.
                if (registry.HasPeers)
                {
                    await ExchangeAsync(stoppingToken);
                }

                if (cycle % 120 == 0)
                {
                    await PruneAsync(stoppingToken);
                }

                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Telemetry only: the loop outlives a store outage or a batch it cannot read.
                if (!failing)
                {
                    LogRelayFailed(ex.Message);
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

    /// <summary>
    /// One statement: writes this replica's waiting batches and reads the others' newer ones (by id:
    /// two replicas' inserts can commit out of id order, so now and then a second of one gateway's
    /// traffic is missed here; it is telemetry, and the next second comes regardless).
    /// </summary>
    private async Task ExchangeAsync(CancellationToken ct)
    {
        var batches = new List<string>();
        while (batches.Count < ReadLimit && _pending.TryDequeue(out var batch))
        {
            Interlocked.Add(ref _pendingRecords, -batch.Records.Count);
            batches.Add(JsonSerializer.Serialize(batch, MeshJson.Options));
        }

        await using var cmd = db.CreateCommand($"""
            WITH mine AS (INSERT INTO {SharedFleetSchema.Telemetry} (replica, batch) SELECT $1, b FROM unnest($2) AS b)
            SELECT id, batch::text FROM {SharedFleetSchema.Telemetry}
            WHERE replica <> $1 AND id > $3 AND at > now() - interval '1 minute' ORDER BY id LIMIT $4
            """);
        cmd.Parameters.AddWithValue(options.Value.ReplicaName);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Jsonb, batches);
        cmd.Parameters.AddWithValue(_lastRead);
        cmd.Parameters.AddWithValue(ReadLimit);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            _lastRead = reader.GetInt64(0);
            if (JsonSerializer.Deserialize<TelemetryBatch>(reader.GetString(1), MeshJson.Options) is { } batch)
            {
                store.Add(batch);
            }
        }
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"DELETE FROM {SharedFleetSchema.Telemetry} WHERE at < now() - interval '1 minute'");
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 1322, Level = LogLevel.Warning, Message = "Could not relay telemetry to or from the other replicas: {Error}")]
    private partial void LogRelayFailed(string error);
}

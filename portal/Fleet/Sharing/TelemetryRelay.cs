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
/// PostgreSQL every <see cref="Interval"/> (one statement for all of them), and the other replicas'
/// batches are read back into this replica's <see cref="TelemetryStore"/>, so every replica draws
/// all of the traffic. Rows live a minute: long enough for a replica that starts to fill its graph.
/// </summary>
public sealed partial class TelemetryRelay(
    NpgsqlDataSource db, TelemetryStore store, IOptions<FleetOptions> options, TimeProvider time, ILogger<TelemetryRelay> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Batches waiting to be written; beyond this the oldest are not relayed (this replica still has them).</summary>
    private const int MaxPending = 10_000;

    private const int ReadLimit = 2_000;

    private readonly ConcurrentQueue<TelemetryBatch> _pending = new();
    private long _lastRead = -1;

    /// <summary>A batch this replica took from one of its gateways.</summary>
    public void Relay(TelemetryBatch batch)
    {
        _pending.Enqueue(batch);
        while (_pending.Count > MaxPending && _pending.TryDequeue(out _))
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        var cycle = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WriteAsync(stoppingToken);
                await ReadAsync(stoppingToken);
                if (cycle++ % 120 == 0)
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

    private async Task WriteAsync(CancellationToken ct)
    {
        var batches = new List<string>();
        while (batches.Count < ReadLimit && _pending.TryDequeue(out var batch))
        {
            batches.Add(JsonSerializer.Serialize(batch, MeshJson.Options));
        }

        if (batches.Count == 0)
        {
            return;
        }

        await using var cmd = db.CreateCommand($"INSERT INTO {SharedFleetSchema.Telemetry} (replica, batch) SELECT $1, b FROM unnest($2) AS b");
        cmd.Parameters.AddWithValue(options.Value.ReplicaName);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Jsonb, batches);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <remarks>
    /// By id: two replicas' inserts can commit out of id order, so now and then a second of one
    /// gateway's traffic is missed here; it is telemetry, and the next second comes regardless.
    /// </remarks>
    private async Task ReadAsync(CancellationToken ct)
    {
        // The first read starts a minute back, so a replica that starts draws what its peers saw just before.
        await using var cmd = db.CreateCommand(_lastRead < 0
            ? $"SELECT id, batch::text FROM {SharedFleetSchema.Telemetry} WHERE replica <> $1 AND at > now() - interval '1 minute' ORDER BY id LIMIT $2"
            : $"SELECT id, batch::text FROM {SharedFleetSchema.Telemetry} WHERE replica <> $1 AND id > $3 ORDER BY id LIMIT $2");
        cmd.Parameters.AddWithValue(options.Value.ReplicaName);
        cmd.Parameters.AddWithValue(ReadLimit);
        if (_lastRead >= 0)
        {
            cmd.Parameters.AddWithValue(_lastRead);
        }

        var last = Math.Max(_lastRead, 0);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                last = reader.GetInt64(0);
                if (JsonSerializer.Deserialize<TelemetryBatch>(reader.GetString(1), MeshJson.Options) is { } batch)
                {
                    store.Add(batch);
                }
            }
        }

        _lastRead = last;
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"DELETE FROM {SharedFleetSchema.Telemetry} WHERE at < now() - interval '1 minute'");
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 1322, Level = LogLevel.Warning, Message = "Could not relay telemetry to or from the other replicas: {Error}")]
    private partial void LogRelayFailed(string error);
}

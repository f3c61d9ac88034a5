using System.Text.Json;
using JasperFx.Events;
using Marten;
using MeshPortal.Shared.Serialization;
using Npgsql;

namespace MeshPortal.Portal.Store;

/// <summary>
/// Carries the log of the previous, hand-written store (table <c>mesh_events</c>) into Marten on
/// the first start of this version: every event keeps its stream, stream version, revision (the
/// old position), actor, reason, correlation id, client address and time. All in one transaction
/// that also renames the old table to <c>mesh_events_v1</c>, which is the marker that it is done;
/// an advisory lock keeps a second replica starting at the same moment from doing it twice.
/// </summary>
public sealed partial class LegacyEventImport(IDocumentStore store, NpgsqlDataSource dataSource, ILogger<LegacyEventImport> logger)
{
    public const string LegacyTable = "mesh_events";
    public const string ImportedTable = "mesh_events_v1";
    private const long ImportLockKey = 0x4D455348_0003;

    private sealed record Row(long Position, string StreamId, long StreamVersion, string EventType, string Data, string Metadata, DateTimeOffset CreatedAt);

    /// <summary>Imports the old log if there is one; returns how many events were carried over.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(conn, $"SELECT pg_advisory_lock({ImportLockKey})", ct);
        try
        {
            await using (var exists = new NpgsqlCommand($"SELECT to_regclass('public.{LegacyTable}') IS NOT NULL", conn))
            {
                if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
                {
                    return 0;
                }
            }

            var rows = await ReadAsync(conn, ct);
            await ImportAsync(conn, rows, ct);
            LogImported(rows.Count, rows.Count == 0 ? 0 : rows[^1].Position);
            return rows.Count;
        }
        finally
        {
            await ExecuteAsync(conn, $"SELECT pg_advisory_unlock({ImportLockKey})", CancellationToken.None);
        }
    }

    private static async Task<List<Row>> ReadAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT position, stream_id, stream_version, event_type, data::text, metadata::text, created_at FROM public.{LegacyTable} ORDER BY position", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<Row>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return rows;
    }

    /// <summary>
    /// One transaction, flushed whenever a stream comes round again: Marten groups a session's
    /// events by stream, and History's order (the store's sequence) must stay the old positions' order.
    /// </summary>
    private async Task ImportAsync(NpgsqlConnection conn, List<Row> rows, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        var chunk = new List<Row>();
        foreach (var row in rows)
        {
            if (chunk.Count == 1000 || chunk.Any(c => c.StreamId == row.StreamId))
            {
                await ImportChunkAsync(tx, chunk, ct);
                chunk.Clear();
            }

            chunk.Add(row);
        }

        if (chunk.Count > 0)
        {
            await ImportChunkAsync(tx, chunk, ct);
        }

        await using (var rename = new NpgsqlCommand($"ALTER TABLE public.{LegacyTable} RENAME TO {ImportedTable}; DROP TABLE IF EXISTS public.mesh_snapshots", conn, tx))
        {
            // Snapshots were a cache of the old log; the new store builds its own.
            await rename.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    private async Task ImportChunkAsync(NpgsqlTransaction tx, List<Row> rows, CancellationToken ct)
    {
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(tx));
        // Every old position held a revision, account events included: each gets its copy in the
        // mesh stream (an account event changes no config), so every old revision number stays.
        var mesh = new List<(MeshEvent Event, Row Row, EventMetadata Metadata)>();
        foreach (var row in rows)
        {
            var type = EventTypes.Legacy(row.EventType) ?? throw new InvalidDataException($"old event {row.Position} has unknown type '{row.EventType}'");
            var e = (MeshEvent)(JsonSerializer.Deserialize(row.Data, type, MeshJson.Options) ?? throw new InvalidDataException($"old event {row.Position} has no data"));
            var metadata = JsonSerializer.Deserialize<EventMetadata>(row.Metadata, MeshJson.Options) ?? new EventMetadata();
            var action = row.StreamVersion == 1
                ? session.Events.StartStream(row.StreamId, e)
                : session.Events.Append(row.StreamId, row.StreamVersion, e);
            Stamp(action.Events[0], row, metadata);
            mesh.Add((e, row, metadata));
        }

        var head = rows[0].Position - 1;
        var events = mesh.Select(m => (object)m.Event).ToList();
        var copies = head == 0 ? session.Events.StartStream(EventTypes.MeshStream, events) : session.Events.Append(EventTypes.MeshStream, head + events.Count, events);
        for (var i = 0; i < mesh.Count; i++)
        {
            Stamp(copies.Events[i], mesh[i].Row, mesh[i].Metadata);
            copies.Events[i].SetHeader(EventTypes.StreamHeader, mesh[i].Row.StreamId);
            copies.Events[i].SetHeader(EventTypes.StreamVersionHeader, mesh[i].Row.StreamVersion);
        }

        await session.SaveChangesAsync(ct);
    }

    private static void Stamp(IEvent e, Row row, EventMetadata metadata)
    {
        e.UserName = metadata.Actor;
        e.CorrelationId = metadata.CorrelationId;
        e.SetHeader(EventTypes.RevisionHeader, row.Position);
        e.SetHeader(EventTypes.TimeHeader, row.CreatedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (metadata.Reason is { } reason)
        {
            e.SetHeader(EventTypes.ReasonHeader, reason);
        }

        if (metadata.ClientAddress is { } client)
        {
            e.SetHeader(EventTypes.ClientAddressHeader, client);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Carried {Count} events of the previous store into Marten (head revision {Head})")]
    private partial void LogImported(int count, long head);
}

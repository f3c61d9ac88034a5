using System.Text.Json;
using MeshPortal.Shared.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace MeshPortal.Portal.Store;

/// <summary>
/// Append-only event log on PostgreSQL. Writers are serialised by a transaction-scoped advisory
/// lock, so positions are gap-free and ordered: the mesh revision is the position of its last event.
/// </summary>
public sealed class EventStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const string NotifyChannel = "mesh_events";
    private const long AppendLockKey = 0x4D455348_0002;

    public async Task<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<MeshEvent> events, EventMetadata metadata, CancellationToken ct) =>
        (await AppendAsync([new StreamAppend(streamId, expectedVersion, events)], metadata, ct))[^1];

    /// <summary>
    /// Appends to several streams in one transaction: all or nothing. Each stream's expected
    /// version is checked; the first stale one aborts the whole batch.
    /// </summary>
    /// <exception cref="EventStoreUnavailableException">PostgreSQL could not be reached.</exception>
    public async Task<IReadOnlyList<AppendResult>> AppendAsync(
        IReadOnlyList<StreamAppend> batch, EventMetadata metadata, CancellationToken ct)
    {
        if (batch.Count == 0 || batch.Any(a => a.Events.Count == 0))
        {
            throw new ArgumentException("nothing to append", nameof(batch));
        }

        var committing = false;
        try
        {
            return await AppendCheckedAsync(batch, metadata, () => committing = true, ct);
        }
        catch (Exception ex) when (ex is not EventStreamConflictException && EventStoreUnavailableException.IsUnavailable(ex))
        {
            throw new EventStoreUnavailableException(committing, ex);
        }
    }

    private async Task<IReadOnlyList<AppendResult>> AppendCheckedAsync(
        IReadOnlyList<StreamAppend> batch, EventMetadata metadata, Action committing, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({AppendLockKey})", ct);

        var position = await ReadHeadPositionAsync(conn, tx, ct);
        var now = time.GetUtcNow();
        var metadataJson = JsonSerializer.Serialize(metadata, MeshJson.Options);
        var results = new List<AppendResult>();
        foreach (var append in batch)
        {
            var (actual, lastActor, lastPosition) = await ReadStreamHeadAsync(conn, tx, append.StreamId, ct);
            if (append.ExpectedVersion != ExpectedVersion.Any && append.ExpectedVersion != actual)
            {
                throw new EventStreamConflictException(append.StreamId, append.ExpectedVersion, actual, lastActor, lastPosition);
            }

            var version = actual;
            foreach (var e in append.Events)
            {
                await InsertAsync(conn, tx, ++position, append.StreamId, ++version, e, metadataJson, now, ct);
            }

            results.Add(new AppendResult(append.StreamId, version, position));
        }

        // NOTIFY inside the transaction is delivered at commit, never for a rolled-back append.
        await ExecuteAsync(conn, tx, $"SELECT pg_notify('{NotifyChannel}', '{position}')", ct);
        committing();
        await tx.CommitAsync(ct);
        return results;
    }

    private static async Task InsertAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, long position, string streamId, long version, MeshEvent e,
        string metadataJson, DateTimeOffset now, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO mesh_events (position, stream_id, stream_version, event_type, data, metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            conn, tx);
        insert.Parameters.AddWithValue(position);
        insert.Parameters.AddWithValue(streamId);
        insert.Parameters.AddWithValue(version);
        insert.Parameters.AddWithValue(MeshEvents.TypeName(e));
        insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, MeshEvents.Serialize(e));
        insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, metadataJson);
        insert.Parameters.AddWithValue(now);
        await insert.ExecuteNonQueryAsync(ct);
    }

    public Task<AppendResult> StartStreamAsync(string streamId, IReadOnlyList<MeshEvent> events, EventMetadata metadata, CancellationToken ct) =>
        AppendAsync(streamId, ExpectedVersion.NoStream, events, metadata, ct);

    /// <summary>Events with a position greater than <paramref name="after"/>, oldest first.</summary>
    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long after, int limit, CancellationToken ct) =>
        ReadAsync(new HistoryQuery { After = after, Limit = limit }, ct);

    /// <summary>
    /// A page of the log. With <see cref="HistoryQuery.After"/> it reads forward (oldest first),
    /// otherwise backward from <see cref="HistoryQuery.Before"/> or the head (newest first).
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(HistoryQuery query, CancellationToken ct)
    {
        var forward = query.After is not null;
        var sql = new System.Text.StringBuilder(
            "SELECT position, stream_id, stream_version, event_type, data::text, metadata::text, created_at FROM mesh_events WHERE true");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand { Connection = conn };
        void Where(string clause, object value)
        {
            cmd.Parameters.AddWithValue(value);
            sql.Append($" AND {clause} ${cmd.Parameters.Count}");
        }

        if (query.After is { } after)
        {
            Where("position >", after);
        }

        if (query.Before is { } before)
        {
            Where("position <", before);
        }

        if (query.UpTo is { } upTo)
        {
            Where("position <=", upTo);
        }

        if (query.Stream is { } stream)
        {
            Where("stream_id =", stream);
        }

        if (query.Actor is { } actor)
        {
            Where("metadata->>'actor' =", actor);
        }

        cmd.Parameters.AddWithValue(query.Limit);
        sql.Append($" ORDER BY position {(forward ? "ASC" : "DESC")} LIMIT ${cmd.Parameters.Count}");
        cmd.CommandText = sql.ToString();
        var result = new List<StoredEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                JsonDocument.Parse(reader.GetString(4)).RootElement.Clone(),
                JsonSerializer.Deserialize<EventMetadata>(reader.GetString(5), MeshJson.Options) ?? new EventMetadata(),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return result;
    }

    public async Task<long> ReadHeadPositionAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await ReadHeadPositionAsync(conn, null, ct);
    }

    private static async Task<long> ReadHeadPositionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT coalesce(max(position), 0) FROM mesh_events", conn, tx);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<(long Version, string? Actor, long? Position)> ReadStreamHeadAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string streamId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT stream_version, metadata->>'actor', position FROM mesh_events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1",
            conn, tx);
        cmd.Parameters.AddWithValue(streamId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2))
            : (0, null, null);
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

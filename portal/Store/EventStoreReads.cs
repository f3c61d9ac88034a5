using JasperFx.Events;
using Marten;

namespace MeshPortal.Portal.Store;

public sealed partial class EventStore
{
    /// <summary>The mesh revision: the version of the mesh stream.</summary>
    public async Task<long> ReadHeadPositionAsync(CancellationToken ct) => await ReadHeadAsync(ct);

    private async Task<long> ReadHeadAsync(CancellationToken ct)
    {
        try
        {
            await using var session = store.QuerySession();
            return (await session.Events.FetchStreamStateAsync(EventTypes.MeshStream, ct))?.Version ?? 0;
        }
        catch (Exception ex) when (EventStoreUnavailableException.IsUnavailable(ex))
        {
            throw new EventStoreUnavailableException(false, ex);
        }
    }

    /// <summary>Config events with a revision greater than <paramref name="after"/>, in revision order.</summary>
    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long after, int limit, CancellationToken ct) =>
        ReadRevisionsAsync(after, after + limit, ct);

    /// <summary>
    /// The config events of revisions <paramref name="after"/> + 1 to <paramref name="upTo"/>, read
    /// from the mesh stream in version order, so a reader never skips one that commits later.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadRevisionsAsync(long after, long upTo, CancellationToken ct)
    {
        if (upTo <= after)
        {
            return [];
        }

        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(EventTypes.MeshStream, version: upTo, fromVersion: after + 1, token: ct);
        return [.. events.Select(FromMeshStream)];
    }

    /// <summary>
    /// A page of the log (every stream but the mesh stream's copies). With <see cref="HistoryQuery.After"/>
    /// it reads forward (oldest first), otherwise backward from <see cref="HistoryQuery.Before"/> or the head.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(HistoryQuery query, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        // Marten marks the sequence numbers of a rolled-back append with tombstones: not changes.
        var events = session.Events.QueryAllRawEvents().Where(e => e.StreamKey != EventTypes.MeshStream && e.EventTypeName != "tombstone");
        if (query.After is { } after)
        {
            events = events.Where(e => e.Sequence > after);
        }

        if (query.Before is { } before)
        {
            events = events.Where(e => e.Sequence < before);
        }

        if (query.Stream is { } stream)
        {
            events = events.Where(e => e.StreamKey == stream);
        }

        if (query.Actor is { } actor)
        {
            events = events.Where(e => e.UserName == actor);
        }

        events = query.After is null ? events.OrderByDescending(e => e.Sequence) : events.OrderBy(e => e.Sequence);
        var page = await events.Take(query.Limit).ToListAsync(ct);
        return [.. page.Select(FromOwnStream)];
    }

    private static StoredEvent FromMeshStream(IEvent e) => new(
        e.Version,
        EventTypes.Header(e, EventTypes.StreamHeader) ?? throw new InvalidDataException($"mesh event {e.Version} names no stream"),
        EventTypes.LongHeader(e, EventTypes.StreamVersionHeader) ?? 0,
        e.EventTypeName,
        AsMeshEvent(e),
        EventTypes.Metadata(e),
        EventTypes.Time(e),
        e.Sequence);

    private static StoredEvent FromOwnStream(IEvent e) => new(
        EventTypes.LongHeader(e, EventTypes.RevisionHeader) ?? 0,
        e.StreamKey ?? "",
        e.Version,
        e.EventTypeName,
        AsMeshEvent(e),
        EventTypes.Metadata(e),
        EventTypes.Time(e),
        e.Sequence);

    private static MeshEvent AsMeshEvent(IEvent e) =>
        e.Data as MeshEvent ?? throw new InvalidDataException($"event {e.Sequence} has unknown type '{e.EventTypeName}'");
}

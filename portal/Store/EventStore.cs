using JasperFx.Events;
using Marten;

namespace MeshPortal.Portal.Store;

/// <summary>
/// The append-only event log on Marten. Every config event is appended to its own stream
/// (<c>service-…</c>, <c>route-…</c>) and, in the same transaction, to the <see cref="EventTypes.MeshStream"/>
/// stream at the expected mesh head, so that stream's version is the mesh revision: gap-free,
/// totally ordered, the same on every replica. Account events are recorded but leave the revision.
/// </summary>
public sealed partial class EventStore(IDocumentStore store, TimeProvider time)
{
    /// <summary>PostgreSQL channel NOTIFYed with the new revision inside the appending transaction.</summary>
    public const string NotifyChannel = "mesh_events";

    /// <summary>An append that takes any head retries this often when other writers keep moving it.</summary>
    private const int AnyHeadAttempts = 100;

    public async Task<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<MeshEvent> events, EventMetadata metadata, CancellationToken ct) =>
        (await AppendAsync([new StreamAppend(streamId, expectedVersion, events)], metadata, ct))[^1];

    public Task<AppendResult> StartStreamAsync(string streamId, IReadOnlyList<MeshEvent> events, EventMetadata metadata, CancellationToken ct) =>
        AppendAsync(streamId, ExpectedVersion.NoStream, events, metadata, ct);

    /// <summary>Appends at whatever the mesh head is (for writers that validated nothing against it).</summary>
    /// <exception cref="EventStreamConflictException">A stream's expected version is stale.</exception>
    /// <exception cref="EventStoreUnavailableException">PostgreSQL could not be reached.</exception>
    public async Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<StreamAppend> batch, EventMetadata metadata, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var head = await ReadHeadAsync(ct);
            try
            {
                return await AppendAsync(batch, metadata, head, ct);
            }
            catch (MeshHeadMovedException) when (attempt < AnyHeadAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Appends several streams in one transaction, all or nothing, on top of mesh revision
    /// <paramref name="meshHead"/>: its config events become revisions <c>meshHead + 1 …</c>.
    /// </summary>
    /// <exception cref="EventStreamConflictException">A stream's expected version is stale.</exception>
    /// <exception cref="MeshHeadMovedException">The streams are current but the mesh head is past <paramref name="meshHead"/>.</exception>
    /// <exception cref="EventStoreUnavailableException">PostgreSQL could not be reached.</exception>
    public async Task<IReadOnlyList<AppendResult>> AppendAsync(
        IReadOnlyList<StreamAppend> batch, EventMetadata metadata, long meshHead, CancellationToken ct)
    {
        if (batch.Count == 0 || batch.Any(a => a.Events.Count == 0))
        {
            throw new ArgumentException("nothing to append", nameof(batch));
        }

        var committing = false;
        try
        {
            return await AppendCheckedAsync(batch, metadata, meshHead, () => committing = true, ct);
        }
        catch (Exception ex) when (ex is not (EventStreamConflictException or MeshHeadMovedException) && EventStoreUnavailableException.IsUnavailable(ex))
        {
            throw new EventStoreUnavailableException(committing, ex);
        }
    }

    private async Task<IReadOnlyList<AppendResult>> AppendCheckedAsync(
        IReadOnlyList<StreamAppend> batch, EventMetadata metadata, long meshHead, Action committing, CancellationToken ct)
    {
        await using var session = Session(metadata);
        await session.BeginTransactionAsync(ct);
        var revision = meshHead;
        var copies = new List<(MeshEvent Event, string Stream, long Version)>();
        var results = new List<AppendResult>();
        var resolved = new List<StreamAppend>();
        foreach (var append in batch)
        {
            // "Any" still needs the version now: the mesh copy names it. A race on it is retried as a moved head.
            var expected = append.ExpectedVersion == ExpectedVersion.Any
                ? (await session.Events.FetchStreamStateAsync(append.StreamId, ct))?.Version ?? 0
                : append.ExpectedVersion;
            resolved.Add(append with { ExpectedVersion = expected });
            var action = expected == ExpectedVersion.NoStream
                ? session.Events.StartStream(append.StreamId, append.Events)
                : session.Events.Append(append.StreamId, expected + append.Events.Count, append.Events);
            for (var i = 0; i < append.Events.Count; i++)
            {
                var config = append.Events[i] is not AccountEvent;
                revision += config ? 1 : 0;
                action.Events[i].SetHeader(EventTypes.RevisionHeader, revision);
                if (config)
                {
                    copies.Add((append.Events[i], append.StreamId, expected + i + 1));
                }
            }

            results.Add(new AppendResult(append.StreamId, expected + append.Events.Count, revision));
        }

        if (copies.Count > 0)
        {
            AppendMeshCopies(session, meshHead, copies);
            // NOTIFY inside the transaction is delivered at commit, never for a rolled-back append.
            session.QueueSqlCommand("SELECT pg_notify(?, ?)", NotifyChannel, revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        committing();
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (IsConcurrencyFailure(ex))
        {
            throw await ConflictAsync(batch, resolved, meshHead, ct);
        }

        return results;
    }

    private static void AppendMeshCopies(IDocumentSession session, long meshHead, List<(MeshEvent Event, string Stream, long Version)> copies)
    {
        var events = copies.Select(c => (object)c.Event).ToList();
        var mesh = meshHead == 0
            ? session.Events.StartStream(EventTypes.MeshStream, events)
            : session.Events.Append(EventTypes.MeshStream, meshHead + copies.Count, events);
        for (var i = 0; i < copies.Count; i++)
        {
            mesh.Events[i].SetHeader(EventTypes.StreamHeader, copies[i].Stream);
            mesh.Events[i].SetHeader(EventTypes.StreamVersionHeader, copies[i].Version);
            mesh.Events[i].SetHeader(EventTypes.RevisionHeader, meshHead + i + 1);
        }
    }

    /// <summary>
    /// Why an append lost: a stream the writer named moved (who moved it, at which revision), or
    /// else the mesh head moved for streams the writer did not touch.
    /// </summary>
    private async Task<Exception> ConflictAsync(IReadOnlyList<StreamAppend> asked, IReadOnlyList<StreamAppend> resolved, long meshHead, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        for (var i = 0; i < asked.Count; i++)
        {
            var actual = (await session.Events.FetchStreamStateAsync(asked[i].StreamId, ct))?.Version ?? 0;
            if (actual == resolved[i].ExpectedVersion)
            {
                continue;
            }

            if (asked[i].ExpectedVersion == ExpectedVersion.Any)
            {
                return new MeshHeadMovedException(meshHead);
            }

            return await ConflictOnAsync(session, asked[i].StreamId, asked[i].ExpectedVersion, actual, ct);
        }

        return new MeshHeadMovedException(meshHead);
    }

    /// <summary>The conflict of a writer expecting <paramref name="expectedVersion"/> of a stream that has moved since.</summary>
    public async Task<EventStreamConflictException> ConflictOnAsync(string streamId, long expectedVersion, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var actual = (await session.Events.FetchStreamStateAsync(streamId, ct))?.Version ?? 0;
        return await ConflictOnAsync(session, streamId, expectedVersion, actual, ct);
    }

    private static async Task<EventStreamConflictException> ConflictOnAsync(
        IQuerySession session, string streamId, long expectedVersion, long actual, CancellationToken ct)
    {
        var last = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == streamId)
            .OrderByDescending(e => e.Version)
            .FirstOrDefaultAsync(ct);
        return new EventStreamConflictException(
            streamId, expectedVersion, actual, last?.UserName, last is null ? null : EventTypes.LongHeader(last, EventTypes.RevisionHeader));
    }

    private static bool IsConcurrencyFailure(Exception? ex) => ex switch
    {
        null => false,
        JasperFx.ConcurrencyException or ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException => true,
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } => true,
        AggregateException agg => agg.InnerExceptions.Any(IsConcurrencyFailure),
        _ => IsConcurrencyFailure(ex.InnerException),
    };

    private IDocumentSession Session(EventMetadata metadata)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = metadata.Actor;
        session.CorrelationId = metadata.CorrelationId;
        session.SetHeader(EventTypes.TimeHeader, time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (metadata.Reason is { } reason)
        {
            session.SetHeader(EventTypes.ReasonHeader, reason);
        }

        if (metadata.ClientAddress is { } client)
        {
            session.SetHeader(EventTypes.ClientAddressHeader, client);
        }

        return session;
    }
}

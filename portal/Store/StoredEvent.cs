namespace MeshPortal.Portal.Store;

/// <summary>
/// An event as it sits in the log. <see cref="Position"/> is the mesh revision: the one a config
/// event created, or for an account event the head it was recorded at. <see cref="Sequence"/> is
/// the store's own order of all events, the cursor of a history page.
/// </summary>
public sealed record StoredEvent(
    long Position,
    string StreamId,
    long StreamVersion,
    string EventType,
    MeshEvent Event,
    EventMetadata Metadata,
    DateTimeOffset CreatedAt,
    long Sequence);

/// <summary>Who made a change, why, and from where.</summary>
public sealed record EventMetadata
{
    public string Actor { get; init; } = "system";
    public string? Reason { get; init; }
    public string? CorrelationId { get; init; }
    public string? ClientAddress { get; init; }
}

public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version is.</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;
}

public sealed record AppendResult(string StreamId, long StreamVersion, long Position);

/// <summary>Events for one stream within an atomic multi-stream append.</summary>
public sealed record StreamAppend(string StreamId, long ExpectedVersion, IReadOnlyList<MeshEvent> Events);

/// <summary>
/// Which events to read: a window of <see cref="StoredEvent.Sequence"/> (the opaque cursor of a
/// page), a stream, an actor; at most <see cref="Limit"/>.
/// </summary>
public sealed record HistoryQuery
{
    public long? After { get; init; }
    public long? Before { get; init; }
    public string? Stream { get; init; }
    public string? Actor { get; init; }
    public int Limit { get; init; } = 50;
}

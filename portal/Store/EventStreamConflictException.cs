namespace MeshPortal.Portal.Store;

/// <summary>A writer's expected stream version is stale: somebody else appended first.</summary>
public sealed class EventStreamConflictException(
    string streamId, long expectedVersion, long actualVersion, string? lastActor, long? lastPosition)
    : Exception(Describe(streamId, expectedVersion, actualVersion, lastActor, lastPosition))
{
    public string StreamId { get; } = streamId;
    public long ExpectedVersion { get; } = expectedVersion;
    public long ActualVersion { get; } = actualVersion;
    public string? LastActor { get; } = lastActor;
    public long? LastPosition { get; } = lastPosition;

    private static string Describe(string streamId, long expected, long actual, string? actor, long? position) =>
        actual == 0
            ? $"'{streamId}' does not exist (expected version {expected})"
            : expected == Store.ExpectedVersion.NoStream
                ? $"'{streamId}' already exists: created or changed by {actor} at revision {position}"
                : $"'{streamId}' was changed by {actor} at revision {position} (expected version {expected}, it is at {actual}); reload and try again";
}

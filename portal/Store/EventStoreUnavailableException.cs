using Npgsql;

namespace MeshPortal.Portal.Store;

/// <summary>
/// PostgreSQL could not be reached (down, restarting, connection lost). Before the commit was
/// sent nothing changed; <see cref="OutcomeUnknown"/> says the connection broke during the commit.
/// </summary>
public sealed class EventStoreUnavailableException(bool outcomeUnknown, Exception inner)
    : Exception(outcomeUnknown
        ? "the event store became unavailable while committing: the change may or may not have been applied; check History before retrying"
        : "the event store is unavailable: nothing was changed; try again shortly", inner)
{
    public bool OutcomeUnknown { get; } = outcomeUnknown;

    /// <summary>
    /// Connection-level failures and the server's transient states (shutting down, starting up,
    /// too many connections); not errors a statement itself caused, which are bugs to surface.
    /// </summary>
    public static bool IsUnavailable(Exception? ex) => ex switch
    {
        null => false,
        EventStoreUnavailableException => true,
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        // Npgsql wraps socket, stream and timeout failures in NpgsqlException; bare ones elsewhere are not the store's.
        NpgsqlException => true,
        _ => IsUnavailable(ex.InnerException),
    };
}

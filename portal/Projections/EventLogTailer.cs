using MeshPortal.Portal.Store;
using Npgsql;

namespace MeshPortal.Portal.Projections;

/// <summary>
/// Tails the event log: LISTEN for new positions, then catch up by position. Every portal replica
/// runs one, so replicas on one database push the same revisions without a backplane.
/// </summary>
public sealed partial class EventLogTailer(
    NpgsqlDataSource dataSource,
    MeshHistory history,
    SnapshotStore snapshots,
    MeshStateCache cache,
    ILogger<EventLogTailer> logger) : BackgroundService
{
    /// <summary>A missed notification (e.g. during a reconnect) costs at most this much delay.</summary>
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _catchUp = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {EventStore.NotifyChannel}", conn))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await CatchUpAsync(stoppingToken);
                    await conn.WaitAsync(SafetyPoll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or IOException)
            {
                LogTailFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Folds everything new and publishes once, so a multi-stream batch (a rollback, an import)
    /// reaches the fleet whole. On the first call it starts from the newest snapshot.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await _catchUp.WaitAsync(ct);
        try
        {
            var before = cache.State;
            if (before.Revision == 0)
            {
                before = await snapshots.LoadAtOrBeforeAsync(long.MaxValue, ct);
            }

            // Replays up to each multiple of the snapshot interval in turn, snapshotting there.
            var state = before;
            while (true)
            {
                var boundary = (state.Revision / SnapshotStore.Interval + 1) * SnapshotStore.Interval;
                var next = await history.ReplayAsync(state, boundary, ct);
                if (next.Revision == boundary)
                {
                    await snapshots.SaveAsync(next, ct);
                }

                var done = next.Revision < boundary;
                state = next;
                if (done)
                {
                    break;
                }
            }

            if (state.Revision != cache.Revision)
            {
                cache.Publish(state);
                LogCaughtUp(state.Revision);
            }
        }
        finally
        {
            _catchUp.Release();
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Tailing the event log failed; retrying")]
    private partial void LogTailFailed(Exception ex);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Mesh state caught up to revision {Revision}")]
    private partial void LogCaughtUp(long revision);
}

using MeshPortal.Portal.Store;
using Npgsql;

namespace MeshPortal.Portal.Projections;

/// <summary>
/// Tails the event log: LISTEN for new positions, then catch up by position. Every portal replica
/// runs one, so replicas on one database push the same revisions without a backplane.
/// </summary>
public sealed partial class EventLogTailer(
    NpgsqlDataSource dataSource,
    EventStore store,
    MeshStateCache cache,
    ILogger<EventLogTailer> logger) : BackgroundService
{
    private const int PageSize = 1000;

    /// <summary>A missed notification (e.g. during a reconnect) costs at most this much delay.</summary>
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(5);

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

    public async Task CatchUpAsync(CancellationToken ct)
    {
        var state = cache.State;
        while (true)
        {
            var page = await store.ReadAllAsync(state.Revision, PageSize, ct);
            if (page.Count == 0)
            {
                return;
            }

            foreach (var e in page)
            {
                state = state.Apply(e);
            }

            cache.Publish(state);
            LogCaughtUp(state.Revision);
            if (page.Count < PageSize)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Tailing the event log failed; retrying")]
    private partial void LogTailFailed(Exception ex);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Mesh state caught up to revision {Revision}")]
    private partial void LogCaughtUp(long revision);
}

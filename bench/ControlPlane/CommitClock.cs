using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace MeshPortal.Bench.ControlPlane;

/// <summary>
/// When each revision was committed, as seen from outside the portal: the event store NOTIFYs the
/// position inside the appending transaction, and PostgreSQL delivers it at commit. Each commit has a
/// Stopwatch timestamp, for spans this process measures, and the wall clock, for spans that end in the
/// portal (a process on the same machine, so the same clock).
/// </summary>
internal sealed class CommitClock : IAsyncDisposable
{
    private const string Channel = "mesh_events";

    private readonly NpgsqlConnection _connection;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<Commit>> _committed = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _listening = Task.CompletedTask;

    public CommitClock(string connectionString)
    {
        _connection = new NpgsqlConnection(connectionString);
        _connection.Notification += (_, e) =>
        {
            if (long.TryParse(e.Payload, out var revision))
            {
                Slot(revision).TrySetResult(new Commit(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow));
            }
        };
    }

    public async Task StartAsync()
    {
        await _connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", _connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        _listening = ListenAsync();
    }

    /// <summary>When the commit that made <paramref name="revision"/> the head was delivered.</summary>
    public Task<Commit> CommittedAsync(long revision) => Slot(revision).Task;

    private async Task ListenAsync()
    {
        try
        {
            while (true)
            {
                await _connection.WaitAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private TaskCompletionSource<Commit> Slot(long revision) =>
        _committed.GetOrAdd(revision, static _ => new TaskCompletionSource<Commit>(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>One commit's delivery: a Stopwatch timestamp and the wall clock at the same moment.</summary>
internal readonly record struct Commit(long Timestamp, DateTimeOffset At);

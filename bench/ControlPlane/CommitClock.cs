using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace MeshPortal.Bench.ControlPlane;

/// <summary>
/// When each revision was committed, as seen from outside the portal: the event store NOTIFYs the
/// position inside the appending transaction, and PostgreSQL delivers it at commit.
/// </summary>
internal sealed class CommitClock : IAsyncDisposable
{
    private const string Channel = "mesh_events";

    private readonly NpgsqlConnection _connection;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<long>> _committed = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _listening = Task.CompletedTask;

    public CommitClock(string connectionString)
    {
        _connection = new NpgsqlConnection(connectionString);
        _connection.Notification += (_, e) =>
        {
            if (long.TryParse(e.Payload, out var revision))
            {
                Slot(revision).TrySetResult(Stopwatch.GetTimestamp());
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

    /// <summary>The Stopwatch timestamp of the commit that made <paramref name="revision"/> the head.</summary>
    public Task<long> CommittedAsync(long revision) => Slot(revision).Task;

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

    private TaskCompletionSource<long> Slot(long revision) =>
        _committed.GetOrAdd(revision, static _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}

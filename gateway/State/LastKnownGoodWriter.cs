using System.Threading.Channels;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.State;

/// <summary>
/// Writes the newest applied snapshot to the last-known-good file, off the apply path: an apply only
/// hands the snapshot over. At most one write per <see cref="Interval"/> (each one flushed to disk);
/// snapshots applied meanwhile are skipped but the newest, which is written when the interval ends, and on shutdown.
/// </summary>
internal sealed class LastKnownGoodWriter(
    LastKnownGoodStore store, GatewayMetrics metrics, TimeProvider time, ILogger<LastKnownGoodWriter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _offered = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _writing = new();
    private MeshSnapshot? _newest;

    /// <summary>Hands <paramref name="snapshot"/> over for writing; returns at once.</summary>
    public void Offer(MeshSnapshot snapshot)
    {
        Volatile.Write(ref _newest, snapshot);
        _offered.Writer.TryWrite(true);
    }

    /// <summary>Writes the snapshot offered last, if it is not written yet.</summary>
    public void Flush()
    {
        lock (_writing)
        {
            if (Interlocked.Exchange(ref _newest, null) is not { } snapshot)
            {
                return;
            }

            try
            {
                store.Save(snapshot);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The snapshot is applied and served; only a restart without the portal would miss it.
                metrics.LastKnownGoodWriteFailed();
                Log.LastKnownGoodWriteFailed(logger, store.FilePath, ex.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Flush();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _offered.Reader.WaitToReadAsync(stoppingToken))
            {
                _offered.Reader.TryRead(out _);
                Flush();
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

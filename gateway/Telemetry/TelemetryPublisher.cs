using MeshPortal.Gateway.Fleet;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Telemetry;

/// <summary>
/// Sends a second of traffic to the portal every second, and sooner when an edge starts failing. While the portal is away batches wait in a
/// bounded buffer; when it is full the oldest are dropped, and the next batch sent says how many records were lost.
/// </summary>
internal sealed class TelemetryPublisher(
    TrafficAggregator traffic, FleetClient fleet, GatewayMetrics metrics, IOptions<GatewayOptions> options,
    TimeProvider time, ILogger<TelemetryPublisher> logger) : BackgroundService
{
    /// <summary>One minute of batches.</summary>
    public const int BufferedBatches = 60;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Lets requests that read the window just before the swap finish counting into it.
    private static readonly TimeSpan SwapGrace = TimeSpan.FromMilliseconds(100);

    private readonly Queue<TelemetryBatch> _buffer = new();
    private long _droppedSinceLastSent;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            var sentEarly = false;
            while (true)
            {
                if (await WokenEarlyAsync(tick, sentEarly))
                {
                    // Errors are what a user watches the graph for: the window goes now, not up to a second later.
                    // At most once a tick, so a flapping fleet sends at most two batches a second.
                    sentEarly = true;
                }
                else if (await tick)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                    sentEarly = false;
                }
                else
                {
                    return;
                }

                var window = traffic.Swap();
                await Task.Delay(SwapGrace, time, stoppingToken);
                Buffer(window);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>True when an edge started failing before the tick, with the portal there to be told.</summary>
    private async Task<bool> WokenEarlyAsync(Task<bool> tick, bool sentEarly)
    {
        if (sentEarly)
        {
            return false;
        }

        var failure = traffic.FailureStarted;
        return await Task.WhenAny(tick, failure) == failure && !tick.IsCompleted && fleet.IsConnected;
    }

    private void Buffer(TrafficWindow window)
    {
        Drop(window.Dropped);
        var records = window.ToRecords();
        if (records.Count == 0)
        {
            return;
        }

        if (_buffer.Count == BufferedBatches)
        {
            Drop(_buffer.Dequeue().Records.Count);
        }

        _buffer.Enqueue(new TelemetryBatch { Node = options.Value.Node, UnixSecond = window.UnixSecond, Records = records });
    }

    private async Task FlushAsync(CancellationToken stoppingToken)
    {
        if (!fleet.IsConnected)
        {
            return;
        }

        // An empty batch still tells the portal this gateway is alive.
        if (_buffer.Count == 0)
        {
            _buffer.Enqueue(new TelemetryBatch { Node = options.Value.Node, UnixSecond = time.GetUtcNow().ToUnixTimeSeconds() });
        }

        while (_buffer.TryPeek(out var batch))
        {
            try
            {
                await fleet.SendTelemetryAsync(batch with { Dropped = _droppedSinceLastSent }, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.TelemetrySendFailed(logger, ex.Message);
                return;
            }

            _buffer.Dequeue();
            _droppedSinceLastSent = 0;
        }
    }

    private void Drop(long records)
    {
        if (records == 0)
        {
            return;
        }

        _droppedSinceLastSent += records;
        metrics.TelemetryRecordsDropped(records);
        Log.TelemetryDropped(logger, records);
    }
}

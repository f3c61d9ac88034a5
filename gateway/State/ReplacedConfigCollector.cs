using System.Threading.Channels;

namespace MeshPortal.Gateway.State;

/// <summary>
/// Once a burst of applied configs has ended (no apply for <see cref="QuietPeriod"/>), asks the GC for one
/// background collection of every generation. The configs a burst replaced have lived long enough to
/// reach the oldest generation, which the traffic's own collections leave alone: after 1,500 revisions
/// the gateway stayed 10–17 MB above its steady size for over a minute of traffic (bench/RESULTS.md),
/// which reads as growth to anyone watching a memory limit. A background collection stops the requests
/// only for its short start and end; one apply alone (a canary step) is a burst of one and costs one
/// such collection.
/// </summary>
internal sealed class ReplacedConfigCollector(TimeProvider time, ILogger<ReplacedConfigCollector> logger) : BackgroundService
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> _replaced = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _applies;

    /// <summary>Called after a config was swapped in for another: returns at once.</summary>
    public void Replaced()
    {
        Interlocked.Increment(ref _applies);
        _replaced.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _replaced.Reader.WaitToReadAsync(stoppingToken))
            {
                // Until a whole quiet period passes without another apply.
                while (_replaced.Reader.TryRead(out _))
                {
                    await Task.Delay(QuietPeriod, time, stoppingToken);
                }

                var applies = Interlocked.Exchange(ref _applies, 0);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);
                Log.ReplacedConfigsCollected(logger, applies);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

using System.Collections.Concurrent;
using MeshPortal.Gateway.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.State;

public sealed class ReplacedConfigCollectorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingLogger _logger = new();
    private readonly ReplacedConfigCollector _collector;

    public ReplacedConfigCollectorTests() => _collector = new ReplacedConfigCollector(_time, _logger);

    [Fact]
    public async Task Replaced_BurstThenQuiet_OneCollectionOfEveryGenerationForTheWholeBurst()
    {
        await _collector.StartAsync(CancellationToken.None);
        var fullCollections = GC.CollectionCount(GC.MaxGeneration);
        _collector.Replaced();
        _collector.Replaced();
        _collector.Replaced();

        var waited = await AdvanceUntilCollectedAsync();

        // Not before the quiet period; later only when a busy machine lets the loop set its timer late.
        Assert.InRange(waited, ReplacedConfigCollector.QuietPeriod, ReplacedConfigCollector.QuietPeriod * 3);
        Assert.Equal(["A burst of 3 config applies ended; the configs it replaced are collected in the background"], _logger.Messages);
        await UntilAsync(() => GC.CollectionCount(GC.MaxGeneration) > fullCollections);
        await _collector.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Replaced_AgainWithinTheQuietPeriod_CollectionWaitsForAWholeQuietPeriodAfterIt()
    {
        await _collector.StartAsync(CancellationToken.None);
        _collector.Replaced();
        await AdvanceAsync(ReplacedConfigCollector.QuietPeriod - TimeSpan.FromSeconds(1));
        _collector.Replaced();

        var waited = await AdvanceUntilCollectedAsync();

        // The quiet period that began at the first apply ends without a collection, the second one with it.
        Assert.InRange(waited, ReplacedConfigCollector.QuietPeriod + TimeSpan.FromSeconds(1), ReplacedConfigCollector.QuietPeriod * 3);
        Assert.Single(_logger.Messages, m => m.StartsWith("A burst of 2 config applies", StringComparison.Ordinal));
        await _collector.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Replaced_NeverCalled_NothingCollected()
    {
        await _collector.StartAsync(CancellationToken.None);

        await AdvanceAsync(ReplacedConfigCollector.QuietPeriod * 3);

        Assert.Empty(_logger.Messages);
        await _collector.StopAsync(CancellationToken.None);
    }

    /// <summary>Virtual time in one-second steps, each given to the collector's loop, until it logs its collection.</summary>
    private async Task<TimeSpan> AdvanceUntilCollectedAsync()
    {
        var waited = TimeSpan.Zero;
        while (_logger.Messages.IsEmpty && waited < ReplacedConfigCollector.QuietPeriod * 6)
        {
            await AdvanceAsync(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
        }

        return waited;
    }

    private async Task AdvanceAsync(TimeSpan span)
    {
        for (var left = span; left > TimeSpan.Zero; left -= TimeSpan.FromSeconds(1))
        {
            // The loop sets its next timer only after the previous one fired; give it the moment to.
            await Task.Delay(50);
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    public void Dispose() => _collector.Dispose();

    private sealed class RecordingLogger : ILogger<ReplacedConfigCollector>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}

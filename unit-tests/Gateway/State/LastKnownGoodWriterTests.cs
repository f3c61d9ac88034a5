using MeshPortal.Gateway.State;
using MeshPortal.Gateway.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.State;

public sealed class LastKnownGoodWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mesh-lkg-writer-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new();
    private readonly LastKnownGoodStore _store;
    private readonly LastKnownGoodWriter _writer;

    public LastKnownGoodWriterTests()
    {
        _store = new LastKnownGoodStore(_directory);
        _writer = new LastKnownGoodWriter(_store, new GatewayMetrics(), _time, NullLogger<LastKnownGoodWriter>.Instance);
    }

    [Fact]
    public async Task Offer_ManyWithinASecond_FirstWrittenAtOnceNewestAfterTheSecond()
    {
        await _writer.StartAsync(CancellationToken.None);
        _writer.Offer(GatewayTestData.Snapshot(1));
        await UntilAsync(() => _store.Load()?.Revision == 1);

        _writer.Offer(GatewayTestData.Snapshot(2));
        _writer.Offer(GatewayTestData.Snapshot(3));
        await Task.Delay(200);
        Assert.Equal(1, _store.Load()?.Revision);

        _time.Advance(LastKnownGoodWriter.Interval);
        await UntilAsync(() => _store.Load()?.Revision == 3);
        await _writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StopAsync_OfferedWithinTheInterval_WrittenOnShutdown()
    {
        await _writer.StartAsync(CancellationToken.None);
        _writer.Offer(GatewayTestData.Snapshot(1));
        await UntilAsync(() => _store.Load()?.Revision == 1);
        _writer.Offer(GatewayTestData.Snapshot(2));

        await _writer.StopAsync(CancellationToken.None);

        Assert.Equal(2, _store.Load()?.Revision);
    }

    [Fact]
    public void Offer_NotStarted_NothingWrittenUntilFlush()
    {
        _writer.Offer(GatewayTestData.Snapshot(4));
        Assert.False(File.Exists(_store.FilePath));

        _writer.Flush();

        Assert.Equal(4, _store.Load()?.Revision);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    public void Dispose()
    {
        _writer.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

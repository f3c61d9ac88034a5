using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Telemetry;

public sealed class TelemetryStoreTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z"));
    private readonly FleetOptions _options = new() { TelemetryMaxRecords = 1_000 };
    private readonly TelemetryStore _store;

    public TelemetryStoreTests() => _store = new TelemetryStore(_time, Options.Create(_options));

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private static TelemetryBatch Batch(long second, int records) => new()
    {
        Node = "n1",
        UnixSecond = second,
        Records = [.. Enumerable.Range(0, records).Select(i => new TelemetryRecord
        {
            Source = $"s{i}", Route = "catalog", Service = "catalog", Subset = "v1", StatusClass = 2, Count = 1,
            Latency = new long[LatencyBuckets.Count],
        })],
    };

    [Theory]
    [InlineData(31)]
    [InlineData(3_600)]
    [InlineData(-601)]
    public void Add_DatedOutsideWindow_RefusedAndNothingKept(long offsetSeconds)
    {
        Assert.False(_store.Add(Batch(Now + offsetSeconds, 3)));
        Assert.Equal(0, _store.Count);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(0)]
    [InlineData(-600)]
    public void Add_DatedInsideWindow_Kept(long offsetSeconds)
    {
        Assert.True(_store.Add(Batch(Now + offsetSeconds, 3)));
        Assert.Equal(3, _store.Count);
    }

    [Fact]
    public void Add_BeyondMaxRecords_OldestGoFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            _store.Add(Batch(Now, 300));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(_options.TelemetryMaxRecords, _store.Count);
        Assert.Equal(Now - 4, _store.Since(TimeSpan.FromMinutes(1)).Min(r => r.Second));
    }

    [Fact]
    public void Add_OlderThanRetention_Pruned()
    {
        _store.Add(Batch(Now, 10));
        _time.Advance(TelemetryStore.Retention + TimeSpan.FromSeconds(2));
        _store.Add(Batch(Now, 1));
        Assert.Equal(1, _store.Count);
    }
}

using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Fleet;
using MeshPortal.UnitTests.Shared;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Telemetry;

/// <summary>The store's graph, read from each edge's running totals, against folding every record it keeps.</summary>
public sealed class TelemetryStoreGraphTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z"));

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private static TelemetryBatch Batch(string node, long second, int seed, bool newSources = false) => new()
    {
        Node = node,
        UnixSecond = second,
        Records = [.. Enumerable.Range(0, 12).Select(i => new TelemetryRecord
        {
            Source = newSources ? $"flood-{seed}-{i}" : $"s{i % 3}", Route = "catalog", Service = i % 2 == 0 ? "catalog" : "inventory", Subset = i % 4 < 2 ? "v1" : "v2",
            StatusClass = (i + seed) % 5 == 0 ? 5 : 2, Count = 1 + (i * seed) % 9, Denied = (i + seed) % 11 == 0,
            Latency = [.. Enumerable.Range(0, LatencyBuckets.Count).Select(b => b == (i + seed) % LatencyBuckets.Count ? 1L + seed % 4 : 0L)],
        })],
    };

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(60)]
    [InlineData(900)]
    public void Graph_LateBatchesAndEvictions_SameAsFoldingEveryRecord(int window)
    {
        // Small enough that the cap evicts records while late batches (older seconds, other gateways) keep arriving.
        var store = new TelemetryStore(_time, Options.Create(new FleetOptions { TelemetryMaxRecords = 500 }));
        for (var step = 0; step < 80; step++)
        {
            store.Add(Batch("n1", Now, step));
            store.Add(Batch("n2", Now - step % 7, step + 3));
            if (step % 5 == 0)
            {
                store.Add(Batch("n3", Now - 40 - step % 3, step + 5));
            }

            _time.Advance(TimeSpan.FromSeconds(1));
            var fromTotals = store.Graph(TestConfigs.Demo(), window);
            var fromRecords = TopologyBuilder.Build(TestConfigs.Demo(), store.Since(TimeSpan.FromSeconds(window)), window, _time.GetUtcNow());

            Assert.Equal(fromRecords.Edges, fromTotals.Edges);
            Assert.Equal(fromRecords.Nodes.Select(n => (n.Id, n.Rps, n.ErrorRate, n.Health)), fromTotals.Nodes.Select(n => (n.Id, n.Rps, n.ErrorRate, n.Health)));
        }
    }

    [Fact]
    public void Graph_FloodOfNewSourcesEvicted_SameAsFoldingEveryRecord()
    {
        var store = new TelemetryStore(_time, Options.Create(new FleetOptions { TelemetryMaxRecords = 100 }));
        for (var step = 0; step < 40; step++)
        {
            store.Add(Batch("n1", Now, step, newSources: true));
            store.Add(Batch("n2", Now - 2, step, newSources: step % 2 == 0));
            _time.Advance(TimeSpan.FromSeconds(1));

            var fromTotals = store.Graph(TestConfigs.Demo(), 60);
            var fromRecords = TopologyBuilder.Build(TestConfigs.Demo(), store.Since(TimeSpan.FromSeconds(60)), 60, _time.GetUtcNow());
            Assert.Equal(fromRecords.Edges, fromTotals.Edges);
        }
    }

    [Fact]
    public void Graph_EveryRecordAged_NoEdges()
    {
        var store = new TelemetryStore(_time, Options.Create(new FleetOptions()));
        store.Add(Batch("n1", Now, 1));
        _time.Advance(TelemetryStore.Retention + TimeSpan.FromSeconds(2));
        store.Add(new TelemetryBatch { Node = "n1", UnixSecond = Now });

        Assert.Empty(store.Graph(TestConfigs.Demo(), 900).Edges);
    }
}

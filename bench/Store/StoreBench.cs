using System.Diagnostics;
using MeshPortal.Bench.Common;
using MeshPortal.Portal.Api;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MeshPortal.Bench.Store;

/// <summary>
/// The portal's event store at scale, through its own classes: append latency, rebuilding the state
/// from the whole log, the config at a past revision, and one page of history.
/// </summary>
internal sealed class StoreBench(NpgsqlDataSource dataSource, IDocumentStore documents, int events, int samples)
{
    private const int Services = 50;
    private const int Routes = 200;

    private readonly Random _random = new(7);

    public async Task<StoreResult> RunAsync(CancellationToken ct)
    {
        await documents.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var seeder = new EventSeeder(Services, Routes);
        var seeding = Stopwatch.StartNew();
        await seeder.SeedAsync(dataSource, events);
        Console.Error.WriteLine($"store: seeded {events} events in the previous format in {seeding.Elapsed.TotalSeconds:0.0} s");
        var importing = Stopwatch.StartNew();
        await new LegacyEventImport(documents, dataSource, NullLogger<LegacyEventImport>.Instance).RunAsync(ct);
        Console.Error.WriteLine($"store: carried {events} events into Marten in {importing.Elapsed.TotalSeconds:0.0} s");

        // A log this size written at once sets autovacuum off in the middle of the reads timed below (the full
        // run of 2026-12-03 14:01 had it start under the history pages: p99 78 ms, 4 ms on a settled table). A
        // portal's log grows gradually and stays vacuumed and analysed: done once here, as autovacuum would.
        await using (var vacuum = dataSource.CreateCommand("VACUUM ANALYZE"))
        {
            vacuum.CommandTimeout = 300;
            await vacuum.ExecuteNonQueryAsync(ct);
        }

        var store = new EventStore(documents, TimeProvider.System);
        var snapshots = new SnapshotStore(documents);

        // Without snapshots: every event folded, as the very first start of a portal on this log. The
        // first run pays for the JIT like a fresh portal process; the median shows the steady cost.
        var rebuild = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var (_, history) = Portal(store, snapshots);
            var clock = Stopwatch.StartNew();
            var state = await history.ReplayAsync(MeshState.Empty, null, ct);
            rebuild.Add(clock.Elapsed.TotalSeconds);
            Console.Error.WriteLine($"store: rebuilt revision {state.Revision} from the whole log in {rebuild[^1]:0.00} s");
        }

        // The tailer's first catch-up writes a snapshot every SnapshotStore.Interval events; a later start reads the newest one.
        await TailerCatchUpAsync(store, snapshots, ct);
        var startupClock = Stopwatch.StartNew();
        var (cache, timeTravel) = await TailerCatchUpAsync(store, snapshots, ct);
        var startup = startupClock.Elapsed.TotalSeconds;

        var append = await AppendsAsync(store, seeder, ct);
        var stateAt = await StateAtAsync(timeTravel, cache.Revision, ct);
        var (pages, pageColdMs) = await HistoryPagesAsync(store, cache.Revision, ct);
        return new StoreResult
        {
            Events = events,
            AppendP50Ms = Stats.Percentile(append, 50), AppendP99Ms = Stats.Percentile(append, 99),
            RebuildSeconds = Stats.Median(rebuild), RebuildFirstSeconds = rebuild[0], StartupSeconds = startup,
            StateAtP50Ms = Stats.Percentile(stateAt, 50), StateAtP99Ms = Stats.Percentile(stateAt, 99),
            HistoryPageP50Ms = Stats.Percentile(pages, 50), HistoryPageP99Ms = Stats.Percentile(pages, 99), HistoryPageColdMs = pageColdMs,
        };
    }

    private (MeshStateCache Cache, MeshHistory History) Portal(EventStore store, SnapshotStore snapshots)
    {
        var cache = new MeshStateCache(TimeProvider.System);
        return (cache, new MeshHistory(store, snapshots, cache));
    }

    private async Task<(MeshStateCache, MeshHistory)> TailerCatchUpAsync(EventStore store, SnapshotStore snapshots, CancellationToken ct)
    {
        var (cache, history) = Portal(store, snapshots);
        var tailer = new EventLogTailer(dataSource, history, snapshots, cache, NullLogger<EventLogTailer>.Instance);
        await tailer.CatchUpAsync(ct);
        return (cache, history);
    }

    /// <summary>Single split changes with the expected stream version and mesh head, one after another, each its own transaction.</summary>
    private async Task<List<double>> AppendsAsync(EventStore store, EventSeeder seeder, CancellationToken ct)
    {
        var metadata = new EventMetadata { Actor = "bench", Reason = "append latency" };
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var (stream, change) = seeder.Split(_random.Next(Routes));
            var expected = (await store.ReadAsync(new HistoryQuery { Stream = stream, Limit = 1 }, ct))[0].StreamVersion;
            var head = await store.ReadHeadPositionAsync(ct);
            var clock = Stopwatch.StartNew();
            await store.AppendAsync([new StreamAppend(stream, expected, [change])], metadata, head, ct);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }

    /// <summary>What GET /api/revisions/{n} does: the state at n (nearest snapshot plus replay), then its config and hash.</summary>
    private async Task<List<double>> StateAtAsync(MeshHistory history, long head, CancellationToken ct)
    {
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var revision = 1 + _random.NextInt64(head - 1);
            var clock = Stopwatch.StartNew();
            var state = await history.StateAtAsync(revision, ct) ?? throw new InvalidOperationException($"no state at {revision}");
            _ = HistoryApi.Describe(state);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }

    /// <summary>
    /// What GET /api/history?before=n does: 50 events newest first, each summarised for the list. The first
    /// read of each kind of query (the head, a position, a position and an actor) is timed apart: it pays for
    /// the JIT and Marten's first translation of that query once per portal process, as the rebuild's first run does.
    /// </summary>
    private async Task<(List<double> Latencies, double ColdMs)> HistoryPagesAsync(EventStore store, long head, CancellationToken ct)
    {
        var cold = new List<double>();
        for (var kind = 0; kind < 3; kind++)
        {
            cold.Add(await HistoryPageAsync(store, HistoryQueryOf(kind + 2, head), ct));
            Console.Error.WriteLine($"store: first history page of kind {kind + 1} (cold) in {cold[^1]:0.0} ms");
        }

        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            latencies.Add(await HistoryPageAsync(store, HistoryQueryOf(i, head), ct));
        }

        return (latencies, cold.Max());
    }

    /// <summary>Every 4th query filtered by actor, every 4th from the head, the rest from a random position.</summary>
    private HistoryQuery HistoryQueryOf(int i, long head) => i % 4 == 3
        ? new HistoryQuery { Actor = EventSeeder.Actors[i % EventSeeder.Actors.Length], Before = 1 + _random.NextInt64(head), Limit = 50 }
        : new HistoryQuery { Before = i % 4 == 0 ? null : 1 + _random.NextInt64(head), Limit = 50 };

    private static async Task<double> HistoryPageAsync(EventStore store, HistoryQuery query, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var page = await store.ReadAsync(query, ct);
        _ = page.Select(HistoryApi.ToEntry).ToList();
        return clock.Elapsed.TotalMilliseconds;
    }
}

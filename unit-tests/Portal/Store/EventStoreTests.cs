using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.UnitTests.Shared;

namespace MeshPortal.UnitTests.Portal.Store;

public sealed class EventStoreTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private EventStore Store => new(db.Store, TimeProvider.System);

    private static EventMetadata By(string actor) => new() { Actor = actor, Reason = "test" };

    private static RouteSplitChanged Split(string route, int v1) =>
        new(route, [new BackendRef { Service = "catalog", Subset = "v1", Weight = v1 }, new BackendRef { Service = "catalog", Subset = "v2", Weight = 100 - v1 }]);

    [Fact]
    public async Task Append_TwoWritersSameExpectedVersion_ExactlyOneWins()
    {
        var stream = $"route-{Guid.NewGuid():N}";
        await Store.StartStreamAsync(stream, [new RouteDefined(TestConfigs.Route("catalog", ("catalog", "v1", 50)))], By("setup"), default);

        var writers = await Task.WhenAll(
            Attempt(() => Store.AppendAsync(stream, 1, [Split("catalog", 70)], By("alice"), default)),
            Attempt(() => Store.AppendAsync(stream, 1, [Split("catalog", 30)], By("bob"), default)));

        Assert.Single(writers, w => w is AppendResult);
        var conflict = Assert.IsType<EventStreamConflictException>(Assert.Single(writers, w => w is EventStreamConflictException));
        var winner = writers.OfType<AppendResult>().Single();
        Assert.Equal(winner.Position, conflict.LastPosition);
        Assert.Contains(conflict.LastActor, new[] { "alice", "bob" });
        Assert.Contains($"at revision {winner.Position}", conflict.Message);
    }

    [Fact]
    public async Task Append_FiftyParallelWriters_RevisionsGapFreeAndUnique()
    {
        var before = await Store.ReadHeadPositionAsync(default);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Store.AppendAsync($"route-parallel-{i}", ExpectedVersion.Any, [Split($"r{i}", i)], By($"writer{i}"), default)));

        var positions = results.Select(r => r.Position).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => before + i), positions);
        var stored = await Store.ReadAllAsync(before, 1000, default);
        Assert.Equal(positions, stored.Select(e => e.Position));
    }

    [Fact]
    public async Task StartStream_Exists_ConflictSaysWhoCreatedIt()
    {
        var stream = $"service-{Guid.NewGuid():N}";
        await Store.StartStreamAsync(stream, [new ServiceDefined(TestConfigs.Service("catalog", "v1"))], By("alice"), default);

        var conflict = await Assert.ThrowsAsync<EventStreamConflictException>(() =>
            Store.StartStreamAsync(stream, [new ServiceDefined(TestConfigs.Service("catalog", "v1"))], By("bob"), default));

        Assert.Contains("already exists", conflict.Message);
        Assert.Equal("alice", conflict.LastActor);
    }

    [Fact]
    public async Task ReadAll_FoldsToStateWithMetadata()
    {
        var before = await Store.ReadHeadPositionAsync(default);
        var service = TestConfigs.Service("catalog", "v1", "v2");
        await Store.AppendAsync("service-fold", ExpectedVersion.Any, [new ServiceDefined(service)], By("alice"), default);
        await Store.AppendAsync("route-fold", ExpectedVersion.Any, [new RouteDefined(TestConfigs.Route("fold", ("catalog", "v1", 50), ("catalog", "v2", 50)))], By("bob"), default);
        await Store.AppendAsync("route-fold", ExpectedVersion.Any, [Split("fold", 80)], By("carol"), default);

        var events = await Store.ReadAllAsync(before, 100, default);
        var state = events.Aggregate(MeshState.Empty, (s, e) => s.Apply(e));

        Assert.Equal(["alice", "bob", "carol"], events.Select(e => e.Metadata.Actor));
        Assert.Equal(80, state.Routes["fold"].Backends[0].Weight);
        Assert.Equal(2, state.StreamVersion("route-fold"));
        Assert.Equal(events[^1].Position, state.Revision);
    }

    private static async Task<object> Attempt(Func<Task<AppendResult>> append)
    {
        try
        {
            return await append();
        }
        catch (EventStreamConflictException ex)
        {
            return ex;
        }
    }
}

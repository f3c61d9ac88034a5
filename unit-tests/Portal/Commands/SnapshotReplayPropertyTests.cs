using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.UnitTests.Shared;

namespace MeshPortal.UnitTests.Portal.Commands;

/// <summary>Random valid command sequences fold to the same state through snapshots as through full replay.</summary>
public sealed class SnapshotReplayPropertyTests : IAsyncLifetime
{
    private readonly PortalCore _core = new();

    public Task InitializeAsync() => _core.InitializeAsync();

    public Task DisposeAsync() => _core.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomCommands_SnapshotPlusReplay_EqualsFullReplay(int seed)
    {
        var random = new Random(seed);
        await _core.Commands.ReplaceAllAsync(TestConfigs.Demo(), PortalCore.By("seed"), default);
        for (var i = 0; i < 60; i++)
        {
            var result = await RandomCommandAsync(random, i);
            Assert.IsType<CommandResult.Applied>(result);
            if (i % 17 == 0)
            {
                // A snapshot in the middle of the sequence: later reads must combine it with replay.
                await _core.Snapshots.SaveAsync(_core.Cache.State, default);
            }
        }

        var events = await _core.Store.ReadAllAsync(0, 100_000, default);
        var full = events.Aggregate(MeshState.Empty, (s, e) => s.Apply(e));
        foreach (var revision in new[] { events[^1].Position, events[^1].Position / 2, 1L + random.Next((int)events[^1].Position - 1) })
        {
            var travelled = await _core.History.StateAtAsync(revision, default);
            var replayed = events.TakeWhile(e => e.Position <= revision).Aggregate(MeshState.Empty, (s, e) => s.Apply(e));
            Assert.Equal(CanonicalJson.Hash(replayed.ToConfig()), CanonicalJson.Hash(travelled!.ToConfig()));
            Assert.Equal(replayed.StreamVersions.OrderBy(kv => kv.Key), travelled.StreamVersions.OrderBy(kv => kv.Key));
        }

        Assert.Equal(CanonicalJson.Hash(full.ToConfig()), _core.Cache.Snapshot.Hash);
    }

    private Task<CommandResult> RandomCommandAsync(Random random, int i)
    {
        var by = PortalCore.By($"user{random.Next(3)}");
        switch (random.Next(4))
        {
            case 0:
                var v1 = random.Next(0, 101);
                return _core.Commands.ChangeSplitAsync("catalog", TestConfigs.Route("catalog", ("catalog", "v1", v1), ("catalog", "v2", 100 - v1 == 0 && v1 == 0 ? 1 : 100 - v1)).Backends, null, by, default);
            case 1:
                var instances = random.Next(1, 4);
                var service = TestConfigs.Service("inventory", "v1") with
                {
                    Subsets = [new SubsetConfig { Name = "v1", Instances = [.. Enumerable.Range(0, instances).Select(n => new InstanceConfig { Id = $"i{n}", Address = $"http://127.0.0.1:{8000 + n}" })] }],
                };
                return _core.Commands.DefineServiceAsync(service, null, by, default);
            case 2:
                return _core.Commands.ChangePoliciesAsync("inventory", new RoutePolicies { TimeoutMs = random.Next(1, 10_000) }, null, by, default);
            default:
                var id = $"extra{i}";
                return _core.Commands.CreateRouteAsync(TestConfigs.Route(id, ("inventory", "v1", 1)) with { Order = i }, by, default);
        }
    }
}

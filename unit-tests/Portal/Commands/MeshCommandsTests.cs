using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.UnitTests.Shared;

namespace MeshPortal.UnitTests.Portal.Commands;

public sealed class MeshCommandsTests : IAsyncLifetime
{
    private readonly PortalCore _core = new();

    public Task InitializeAsync() => _core.InitializeAsync();

    public Task DisposeAsync() => _core.DisposeAsync();

    private async Task<long> SeedDemoAsync()
    {
        var result = await _core.Commands.ReplaceAllAsync(TestConfigs.Demo(), PortalCore.By("setup"), default);
        return Assert.IsType<CommandResult.Applied>(result).Revision;
    }

    private static IReadOnlyList<BackendRef> Split(int v1, int v2) =>
        TestConfigs.Route("catalog", ("catalog", "v1", v1), ("catalog", "v2", v2)).Backends;

    [Fact]
    public async Task Rollback_ToEarlierRevision_RestoresExactConfigHashAsNewEvents()
    {
        var seeded = await SeedDemoAsync();
        var before = await _core.History.StateAtAsync(seeded, default);
        await _core.Commands.ChangeSplitAsync("catalog", Split(70, 30), null, PortalCore.By("alice"), default);
        await _core.Commands.DefineServiceAsync(TestConfigs.Service("reviews", "v1"), null, PortalCore.By("bob"), default);
        var head = _core.Cache.Revision;

        var result = Assert.IsType<CommandResult.Applied>(await _core.Commands.RollbackAsync(seeded, PortalCore.By("carol", "undo"), default));

        Assert.True(result.Revision > head, "a rollback appends; it never rewrites history");
        Assert.Equal(MeshSnapshot.Create(seeded, before!.ToConfig()).Hash, result.Hash);
        Assert.Equal(50, _core.Cache.State.Routes["catalog"].Backends[0].Weight);
        Assert.False(_core.Cache.State.Services.ContainsKey("reviews"));
    }

    [Fact]
    public async Task StateAt_EveryRevision_EqualsReplayFromScratch()
    {
        await SeedDemoAsync();
        for (var i = 0; i < 20; i++)
        {
            await _core.Commands.ChangeSplitAsync("catalog", Split(i * 5, 100 - i * 5), null, PortalCore.By("alice"), default);
        }

        var events = await _core.Store.ReadAllAsync(0, 10_000, default);
        var replayed = MeshState.Empty;
        foreach (var e in events)
        {
            replayed = replayed.Apply(e);
            var travelled = await _core.History.StateAtAsync(e.Position, default);
            Assert.Equal(CanonicalJson.Hash(replayed.ToConfig()), CanonicalJson.Hash(travelled!.ToConfig()));
        }
    }

    [Fact]
    public async Task ChangeSplit_Invalid_NothingAppended()
    {
        await SeedDemoAsync();
        var head = await _core.Store.ReadHeadPositionAsync(default);

        var result = await _core.Commands.ChangeSplitAsync("catalog", Split(0, 0), null, PortalCore.By("alice"), default);

        Assert.IsType<CommandResult.Invalid>(result);
        Assert.Equal(head, await _core.Store.ReadHeadPositionAsync(default));
    }

    [Fact]
    public async Task ReplaceAll_InvalidConfig_NothingAppendedAndErrorsNamed()
    {
        await SeedDemoAsync();
        var head = await _core.Store.ReadHeadPositionAsync(default);
        var bad = TestConfigs.Demo() with { Routes = [TestConfigs.Route("catalog", ("catalog", "v7", 100))] };

        var invalid = Assert.IsType<CommandResult.Invalid>(await _core.Commands.ReplaceAllAsync(bad, PortalCore.By("alice"), default));

        Assert.Contains(invalid.Errors, e => e.Field == "routes[catalog].backends[0].subset");
        Assert.Equal(head, await _core.Store.ReadHeadPositionAsync(default));
    }

    [Fact]
    public async Task RemoveService_StillRouted_Refused()
    {
        await SeedDemoAsync();
        var invalid = Assert.IsType<CommandResult.Invalid>(await _core.Commands.RemoveServiceAsync("catalog", PortalCore.By("alice"), default));
        Assert.Contains("route 'catalog'", invalid.Errors[0].Message);
    }

    [Fact]
    public async Task ReplaceRoute_MatchOfAnotherRoute_RefusedAndNothingAppended()
    {
        await SeedDemoAsync();
        var head = await _core.Store.ReadHeadPositionAsync(default);
        var catalog = _core.Cache.State.Routes["catalog"];
        var shadow = _core.Cache.State.Routes["inventory"] with { Match = catalog.Match };

        var invalid = Assert.IsType<CommandResult.Invalid>(await _core.Commands.ReplaceRouteAsync(shadow, null, PortalCore.By("alice"), default));

        Assert.Contains(invalid.Errors, e => e.Field == "routes[inventory].match" && e.Message.Contains("'catalog'"));
        Assert.Equal(head, await _core.Store.ReadHeadPositionAsync(default));
    }

    [Fact]
    public async Task ReplaceRoute_SameContentNewInstance_UnchangedAndNothingAppended()
    {
        await SeedDemoAsync();
        var head = await _core.Store.ReadHeadPositionAsync(default);
        var copy = _core.Cache.State.Routes["catalog"] with { Backends = [.. _core.Cache.State.Routes["catalog"].Backends] };

        var applied = Assert.IsType<CommandResult.Applied>(await _core.Commands.ReplaceRouteAsync(copy, null, PortalCore.By("alice"), default));

        Assert.True(applied.Unchanged);
        Assert.Equal(head, await _core.Store.ReadHeadPositionAsync(default));
    }

    [Fact]
    public async Task ReplaceRoute_MatchMovedThenFreed_OtherRouteMayTakeIt()
    {
        await SeedDemoAsync();
        var catalog = _core.Cache.State.Routes["catalog"];
        var inventory = _core.Cache.State.Routes["inventory"];
        Assert.IsType<CommandResult.Applied>(await _core.Commands.ReplaceRouteAsync(
            catalog with { Match = new RouteMatch { Hosts = ["catalog.moved"] } }, null, PortalCore.By("alice"), default));

        // The index followed the write: catalog's old match is free, its new one taken.
        Assert.IsType<CommandResult.Applied>(await _core.Commands.ReplaceRouteAsync(
            inventory with { Match = catalog.Match }, null, PortalCore.By("alice"), default));
        Assert.IsType<CommandResult.Invalid>(await _core.Commands.ReplaceRouteAsync(
            inventory with { Match = new RouteMatch { Hosts = ["catalog.moved"] } }, null, PortalCore.By("alice"), default));
    }
}

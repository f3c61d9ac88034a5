using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.UnitTests.Shared;

namespace MeshPortal.UnitTests.Portal.Commands;

/// <summary>Issue 9: roles checked by the commands themselves, confirmation before live parts go, no-op writes append nothing.</summary>
public sealed class CommandSafetyTests : IAsyncLifetime
{
    private readonly PortalCore _core = new();

    public Task InitializeAsync() => _core.InitializeAsync();

    public Task DisposeAsync() => _core.DisposeAsync();

    private async Task<long> SeedDemoAsync()
    {
        var result = await _core.Commands.ReplaceAllAsync(TestConfigs.Demo(), PortalCore.By("setup"), default);
        return Assert.IsType<CommandResult.Applied>(result).Revision;
    }

    private Task<long> HeadAsync() => _core.Store.ReadHeadPositionAsync(default);

    private void Traffic(string route, string service, long count) => _core.Telemetry.Add(new TelemetryBatch
    {
        Node = "n1",
        UnixSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        Records = [new TelemetryRecord { Source = "frontend", Route = route, Service = service, Subset = "v1", StatusClass = 2, Count = count }],
    });

    [Fact]
    public async Task EveryCommand_ViewerPrincipal_ForbiddenAndNothingAppended()
    {
        await SeedDemoAsync();
        var head = await HeadAsync();
        var viewer = PortalCore.As("vera", Roles.Viewer, confirmed: true);
        var split = TestConfigs.Route("catalog", ("catalog", "v1", 90), ("catalog", "v2", 10));

        CommandResult[] results =
        [
            await _core.Commands.ChangeSplitAsync("catalog", split.Backends, null, viewer, default),
            await _core.Commands.ReplaceRouteAsync(split, null, viewer, default),
            await _core.Commands.CreateRouteAsync(TestConfigs.Route("reviews", ("inventory", "v1", 1)), viewer, default),
            await _core.Commands.RemoveRouteAsync("inventory", null, viewer, default),
            await _core.Commands.ChangePoliciesAsync("catalog", new RoutePolicies { TimeoutMs = 500 }, null, viewer, default),
            await _core.Commands.DefineServiceAsync(TestConfigs.Service("reviews", "v1"), null, viewer, default),
            await _core.Commands.RemoveServiceAsync("inventory", viewer, default),
            await _core.Commands.RollbackAsync(0, viewer, default),
            await _core.Commands.ReplaceAllAsync(new MeshConfig(), viewer, default),
        ];

        Assert.All(results, r => Assert.Contains("operator", Assert.IsType<CommandResult.Forbidden>(r).Message));
        Assert.Equal(head, await HeadAsync());
    }

    [Fact]
    public async Task ChangeSplit_AnonymousPrincipal_Forbidden()
    {
        await SeedDemoAsync();
        var anonymous = CommandContext.For(new System.Security.Claims.ClaimsPrincipal(), "no one", null, null, confirmed: true);

        var result = await _core.Commands.ChangeSplitAsync("catalog", TestConfigs.Route("catalog", ("catalog", "v1", 1)).Backends, null, anonymous, default);

        Assert.IsType<CommandResult.Forbidden>(result);
    }

    [Fact]
    public async Task Rollback_ToZeroUnconfirmed_NamesEveryRouteAndServiceAndAppendsNothing()
    {
        await SeedDemoAsync();
        Traffic("catalog", "catalog", 120);
        var head = await HeadAsync();

        var refused = Assert.IsType<CommandResult.ConfirmationRequired>(await _core.Commands.RollbackAsync(0, PortalCore.By("alice"), default));

        Assert.True(refused.Plan.LeavesNoRoutes);
        Assert.Equal(
            [("route", "catalog", 120L), ("route", "inventory", 0L), ("service", "catalog", 120L), ("service", "inventory", 0L)],
            refused.Plan.Removals.Select(r => (r.Kind, r.Name, r.Requests)));
        Assert.Contains("route 'catalog' (120 requests in the last 60 s)", refused.Plan.Describe());
        Assert.Equal(head, await HeadAsync());

        var applied = Assert.IsType<CommandResult.Applied>(await _core.Commands.RollbackAsync(0, PortalCore.By("alice", confirmed: true), default));
        Assert.True(applied.Revision > head);
        Assert.Empty(_core.Cache.State.Routes);
        Assert.Empty(_core.Cache.State.Services);
    }

    [Fact]
    public async Task RemoveRoute_CarryingTraffic_NeedsConfirmation_IdleRouteDoesNot()
    {
        await SeedDemoAsync();
        Traffic("catalog", "catalog", 7);
        var head = await HeadAsync();

        var refused = Assert.IsType<CommandResult.ConfirmationRequired>(await _core.Commands.RemoveRouteAsync("catalog", null, PortalCore.By("alice"), default));
        Assert.Equal([("route", "catalog", 7L)], refused.Plan.Removals.Select(r => (r.Kind, r.Name, r.Requests)));
        Assert.False(refused.Plan.LeavesNoRoutes);
        Assert.Equal(head, await HeadAsync());

        Assert.IsType<CommandResult.Applied>(await _core.Commands.RemoveRouteAsync("inventory", null, PortalCore.By("alice"), default));
        Assert.IsType<CommandResult.Applied>(await _core.Commands.RemoveRouteAsync("catalog", null, PortalCore.By("alice", confirmed: true), default));
        Assert.Empty(_core.Cache.State.Routes);
    }

    [Fact]
    public async Task RemoveRoute_LastOneWithoutTraffic_NeedsConfirmation()
    {
        await SeedDemoAsync();
        await _core.Commands.RemoveRouteAsync("inventory", null, PortalCore.By("alice"), default);

        var refused = Assert.IsType<CommandResult.ConfirmationRequired>(await _core.Commands.RemoveRouteAsync("catalog", null, PortalCore.By("alice"), default));

        Assert.True(refused.Plan.LeavesNoRoutes);
        Assert.Equal(0, refused.Plan.Removals.Single().Requests);
    }

    [Fact]
    public async Task CreateRoute_AfterRemoval_CreatedAgainAndHistorySaysSo()
    {
        await SeedDemoAsync();
        await _core.Commands.RemoveRouteAsync("inventory", null, PortalCore.By("alice"), default);

        var created = await _core.Commands.CreateRouteAsync(TestConfigs.Route("inventory", ("inventory", "v1", 100)), PortalCore.By("bob"), default);

        var applied = Assert.IsType<CommandResult.Applied>(created);
        Assert.True(_core.Cache.State.Routes.ContainsKey("inventory"));
        var stored = (await _core.Store.ReadAsync(new HistoryQuery { Stream = "route-inventory", Limit = 1 }, default)).Single();
        Assert.Equal((applied.Revision, 3L), (stored.Position, stored.StreamVersion));
        Assert.StartsWith("route 'inventory' created again", EventSummary.Describe(stored.Event));
    }

    [Fact]
    public async Task CreateRoute_Existing_InvalidNothingAppended()
    {
        await SeedDemoAsync();
        var head = await HeadAsync();

        var invalid = Assert.IsType<CommandResult.Invalid>(
            await _core.Commands.CreateRouteAsync(TestConfigs.Route("inventory", ("inventory", "v1", 100)), PortalCore.By("bob"), default));

        Assert.Contains(invalid.Errors, e => e.Message == "route 'inventory' already exists");
        Assert.Equal(head, await HeadAsync());
    }

    [Fact]
    public async Task DefineService_AfterRemoval_CreatedAgain()
    {
        await SeedDemoAsync();
        await _core.Commands.DefineServiceAsync(TestConfigs.Service("reviews", "v1"), null, PortalCore.By("alice"), default);
        await _core.Commands.RemoveServiceAsync("reviews", PortalCore.By("alice"), default);

        Assert.IsType<CommandResult.Applied>(await _core.Commands.DefineServiceAsync(TestConfigs.Service("reviews", "v1"), null, PortalCore.By("bob"), default));

        var stored = (await _core.Store.ReadAsync(new HistoryQuery { Stream = "service-reviews", Limit = 1 }, default)).Single();
        Assert.StartsWith("service 'reviews' created again", EventSummary.Describe(stored.Event));
    }

    [Fact]
    public async Task IdenticalChanges_UnchangedAtHeadAndNothingAppended()
    {
        var seeded = await SeedDemoAsync();
        var demo = TestConfigs.Demo();
        var catalog = demo.Routes[0];
        var by = PortalCore.By("alice");

        CommandResult[] results =
        [
            await _core.Commands.ChangeSplitAsync("catalog", catalog.Backends, null, by, default),
            await _core.Commands.ReplaceRouteAsync(catalog, null, by, default),
            await _core.Commands.ChangePoliciesAsync("catalog", catalog.Policies, null, by, default),
            await _core.Commands.DefineServiceAsync(demo.Services[0], null, by, default),
            await _core.Commands.ReplaceAllAsync(demo, by, default),
            await _core.Commands.RollbackAsync(seeded, by, default),
        ];

        Assert.All(results, r => Assert.Equal(
            (seeded, _core.Cache.Snapshot.Hash, true),
            Assert.IsType<CommandResult.Applied>(r) is var a ? (a.Revision, a.Hash, a.Unchanged) : default));
        Assert.Equal(seeded, await HeadAsync());
    }

    [Fact]
    public async Task ChangeSplit_StoreUnreachable_UnavailableNothingChanged()
    {
        await SeedDemoAsync();
        await using var dead = Npgsql.NpgsqlDataSource.Create($"Host=127.0.0.1;Port={UnusedPort()};Username=postgres;Timeout=2");
        var commands = new MeshCommands(new EventStore(MeshPortal.UnitTests.Portal.Store.PostgresDatabase.OpenStore(dead), TimeProvider.System), _core.Cache, _core.History, _core.Telemetry);

        var result = await commands.ChangeSplitAsync("catalog", TestConfigs.Route("catalog", ("catalog", "v1", 1)).Backends, null, PortalCore.By("alice"), default);

        var unavailable = Assert.IsType<CommandResult.Unavailable>(result);
        Assert.False(unavailable.OutcomeUnknown);
        Assert.Contains("nothing was changed", unavailable.Message);
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

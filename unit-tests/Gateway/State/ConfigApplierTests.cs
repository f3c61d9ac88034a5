using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.State;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace MeshPortal.UnitTests.Gateway.State;

public sealed class ConfigApplierTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mesh-applier-{Guid.NewGuid():N}");
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddReverseProxy().Services.BuildServiceProvider();
    private readonly MeshProxyConfigProvider _provider = new();
    private readonly AppliedConfig _applied = new();
    private readonly GatewayMetrics _metrics = new();
    private readonly LastKnownGoodStore _store;
    private readonly LastKnownGoodWriter _writer;
    private readonly ConfigApplier _applier;

    public ConfigApplierTests()
    {
        _store = new LastKnownGoodStore(_directory);
        _writer = new LastKnownGoodWriter(_store, _metrics, TimeProvider.System, NullLogger<LastKnownGoodWriter>.Instance);
        _applier = Applier(GatewayOptions.DefaultMaxRoutes);
    }

    [Fact]
    public async Task ApplyAsync_ValidSnapshot_ServedPersistedAndAcked()
    {
        var snapshot = GatewayTestData.Snapshot(3);

        var problem = await _applier.ApplyAsync(snapshot, persist: true, CancellationToken.None);

        Assert.Null(problem);
        Assert.Same(snapshot, _applied.Current?.Snapshot);
        Assert.Equal("catalog", Assert.Single(_provider.GetConfig().Routes).RouteId);
        _writer.Flush();
        Assert.Equal(3, _store.Load()?.Revision);
        Assert.Equal(1, _metrics.ConfigApplies);
    }

    [Fact]
    public async Task ApplyAsync_InvalidAfterValid_NackedAndLastGoodKeptEverywhere()
    {
        await _applier.ApplyAsync(GatewayTestData.Snapshot(3), persist: true, CancellationToken.None);
        var served = _provider.GetConfig();

        var problem = await _applier.ApplyAsync(GatewayTestData.Snapshot(4, GatewayTestData.Config(0, 0)), persist: true, CancellationToken.None);

        Assert.Contains("at least one weight", problem);
        Assert.Equal(3, _applied.Current?.Snapshot.Revision);
        Assert.Same(served, _provider.GetConfig());
        Assert.False(served.ChangeToken.HasChanged);
        _writer.Flush();
        Assert.Equal(3, _store.Load()?.Revision);
        Assert.Equal(1, _metrics.ConfigApplyFailures);
    }

    [Fact]
    public async Task ApplyAsync_MoreRoutesThanMaxRoutes_NackedWithCountsAndLastGoodKept()
    {
        var applier = Applier(maxRoutes: 1);
        await applier.ApplyAsync(GatewayTestData.Snapshot(3), persist: true, CancellationToken.None);
        var config = GatewayTestData.Config();
        var twoRoutes = config with { Routes = [config.Routes[0], config.Routes[0] with { Id = "catalog-b", Order = 6 }] };

        var problem = await applier.ApplyAsync(GatewayTestData.Snapshot(4, twoRoutes), persist: true, CancellationToken.None);

        Assert.Equal("snapshot has 2 routes; this gateway accepts at most 1 (Gateway:MaxRoutes)", problem);
        Assert.Equal(3, _applied.Current?.Snapshot.Revision);
        _writer.Flush();
        Assert.Equal(3, _store.Load()?.Revision);
    }

    [Fact]
    public async Task ApplyAsync_OlderRevisionThanServed_NackedSayingSoAndNewerKept()
    {
        var newer = GatewayTestData.Snapshot(7);
        await _applier.ApplyAsync(newer, persist: true, CancellationToken.None);

        var problem = await _applier.ApplyAsync(GatewayTestData.Snapshot(5, GatewayTestData.Config(50, 50)), persist: true, CancellationToken.None);

        Assert.Equal("revision 5 is older than revision 7, which this gateway serves: not applied", problem);
        Assert.Same(newer, _applied.Current?.Snapshot);
        _writer.Flush();
        Assert.Equal(7, _store.Load()?.Revision);
    }

    [Fact]
    public async Task ApplyAsync_HashMismatch_Nacked()
    {
        var problem = await _applier.ApplyAsync(GatewayTestData.Snapshot(5) with { Hash = "bad" }, persist: true, CancellationToken.None);

        Assert.Contains("hash mismatch", problem);
        Assert.Null(_applied.Current);
        _writer.Flush();
        Assert.Null(_store.Load());
    }

    [Fact]
    public async Task ApplyAsync_NewRevision_OldConfigSignalledChanged()
    {
        await _applier.ApplyAsync(GatewayTestData.Snapshot(1), persist: false, CancellationToken.None);
        var old = _provider.GetConfig();

        await _applier.ApplyAsync(GatewayTestData.Snapshot(2, GatewayTestData.Config(50, 50)), persist: false, CancellationToken.None);

        Assert.True(old.ChangeToken.HasChanged);
        Assert.NotSame(old, _provider.GetConfig());
    }

    [Fact]
    public async Task LoadLastKnownGoodAsync_StoredSnapshot_ServedWithoutPortal()
    {
        _store.Save(GatewayTestData.Snapshot(9));

        await _applier.LoadLastKnownGoodAsync(CancellationToken.None);

        Assert.Equal(9, _applied.Current?.Snapshot.Revision);
        Assert.Single(_provider.GetConfig().Clusters);
    }

    [Fact]
    public async Task LoadLastKnownGoodAsync_CorruptOrTamperedFile_NotReadyWithoutThrowing()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(_store.FilePath, "{ broken");
        await _applier.LoadLastKnownGoodAsync(CancellationToken.None);
        _store.Save(GatewayTestData.Snapshot(9) with { Hash = "tampered" });
        await _applier.LoadLastKnownGoodAsync(CancellationToken.None);

        Assert.Null(_applied.Current);
        Assert.Empty(_provider.GetConfig().Routes);
    }

    private ConfigApplier Applier(int maxRoutes) => new(
        _provider, new RouteBindings(), new RouteHandlersBuilder(_metrics, TimeProvider.System), _services.GetRequiredService<IConfigValidator>(),
        _applied, _store, _writer, new ReplacedConfigCollector(TimeProvider.System, NullLogger<ReplacedConfigCollector>.Instance), _metrics, new PeerDirectory(TimeProvider.System), Options.Create(new GatewayOptions { MaxRoutes = maxRoutes }), TimeProvider.System,
        NullLogger<ConfigApplier>.Instance);

    public void Dispose()
    {
        _services.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

using MeshPortal.Gateway.Proxy;
using MeshPortal.Shared.Config;
using MeshPortal.UnitTests.Shared.Fleet;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class IncrementalTranslationTests
{
    [Fact]
    public void Translate_OneRouteChangedOnTheServedTranslation_SameYarpConfigAsAFullTranslation()
    {
        var before = ConfigDeltasTests.Mesh(1, routes: 30);
        var served = ProxyConfigTranslator.Translate(before);
        var after = MeshSnapshot.Create(2, before.Config with
        {
            Routes = [.. before.Config.Routes.Select(r => r.Id == "r-11" ? r with { Match = new RouteMatch { Hosts = ["moved.mesh"] } } : r)],
        });

        var incremental = ProxyConfigTranslator.Translate(after, served);
        var full = ProxyConfigTranslator.Translate(after);

        Assert.Equal(full.Routes, incremental.Routes);
        Assert.Equal(full.Clusters, incremental.Clusters);
        Assert.Equal("r-11", Assert.Single(incremental.Fresh).Route.RouteId);
        Assert.Same(served.Routes[0], incremental.Routes[0]);
    }

    [Fact]
    public void Translate_InstanceOfABackendServiceChanged_ItsRoutesTranslatedAgain()
    {
        var before = ConfigDeltasTests.Mesh(1, routes: 10);
        var served = ProxyConfigTranslator.Translate(before);
        var after = MeshSnapshot.Create(2, before.Config with
        {
            Services = [.. before.Config.Services.Select(s => s.Name != "svc-04" ? s : s with
            {
                Subsets = [s.Subsets[0] with { Instances = [new InstanceConfig { Id = "i-new", Address = "http://10.0.9.9:8080" }] }],
            })],
        });

        var incremental = ProxyConfigTranslator.Translate(after, served);

        Assert.Equal("r-04", Assert.Single(incremental.Fresh).Route.RouteId);
        Assert.Equal(ProxyConfigTranslator.Translate(after).Clusters, incremental.Clusters);
        Assert.Equal("http://10.0.9.9:8080", incremental.Clusters.Single(c => c.ClusterId == "r-04").Destinations!.Values.Single().Address);
    }

    [Fact]
    public void Translate_RouteInsertedBeforeOthers_RoutesThatMovedTranslatedAgainInOrder()
    {
        var before = ConfigDeltasTests.Mesh(1, routes: 5);
        var served = ProxyConfigTranslator.Translate(before);
        var first = before.Config.Routes[0] with { Id = "a-first", Match = new RouteMatch { Hosts = ["first.mesh"] } };
        var after = MeshSnapshot.Create(2, before.Config with { Routes = [first, .. before.Config.Routes] });

        var incremental = ProxyConfigTranslator.Translate(after, served);

        Assert.Equal(6, incremental.Fresh.Count);
        Assert.Equal(ProxyConfigTranslator.Translate(after).Routes, incremental.Routes);
    }

    [Fact]
    public void Translate_RouteRemovedAndHostMovedToAnother_SameYarpConfigAsAFullTranslation()
    {
        var before = ConfigDeltasTests.Mesh(1, routes: 12);
        var served = ProxyConfigTranslator.Translate(before);
        var hosts = before.Config.Routes.Single(r => r.Id == "r-07").Match.Hosts;
        var after = MeshSnapshot.Create(2, before.Config with
        {
            Routes = [.. before.Config.Routes.Where(r => r.Id != "r-07").Select(r => r.Id == "r-10" ? r with { Match = r.Match with { Hosts = hosts } } : r)],
        });

        var incremental = ProxyConfigTranslator.Translate(after, served);
        var full = ProxyConfigTranslator.Translate(after);

        Assert.Equal(full.Routes, incremental.Routes);
        Assert.Equal(full.Clusters, incremental.Clusters);
        Assert.DoesNotContain(incremental.Routes, r => r.RouteId == "r-07");
        Assert.Equal(string.Join(',', hosts), incremental.Routes.Single(r => r.RouteId == "r-10").Metadata![ProxyConfigTranslator.HostsMetadataKey]);
        Assert.Same(served.Routes[0], incremental.Routes[0]);
    }
}

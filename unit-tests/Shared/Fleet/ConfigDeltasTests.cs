using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using MeshPortal.UnitTests.Gateway;

namespace MeshPortal.UnitTests.Shared.Fleet;

public sealed class ConfigDeltasTests
{
    [Fact]
    public void Between_OneRouteChanged_CarriesOnlyThatRouteAndTheNewHash()
    {
        var from = Mesh(1, routes: 50);
        var to = MeshSnapshot.Create(2, from.Config with { Routes = [.. from.Config.Routes.Select(r => r.Id == "r-07" ? r with { Order = 3 } : r)] });

        var delta = ConfigDeltas.Between(ConfigIndex.Of(from), ConfigIndex.Of(to));

        Assert.NotNull(delta);
        Assert.Equal(1, delta.BaseRevision);
        Assert.Equal(2, delta.Revision);
        Assert.Equal(to.Hash, delta.Hash);
        Assert.Equal("r-07", Assert.Single(delta.Routes).Id);
        Assert.Empty(delta.Services);
        Assert.Empty(delta.RemovedRoutes);
        Assert.Empty(delta.RemovedServices);
    }

    [Fact]
    public void Between_InstanceAddedAndRouteAndServiceRemoved_SendsTheServiceWholeAndNamesTheRemoved()
    {
        var from = Mesh(1, routes: 20);
        var services = from.Config.Services.Where(s => s.Name != "svc-09").Select(s => s.Name != "svc-02" ? s : s with
        {
            Subsets = [s.Subsets[0] with { Instances = [.. s.Subsets[0].Instances, new InstanceConfig { Id = "new", Address = "http://10.9.9.9:80" }] }],
        });
        var to = MeshSnapshot.Create(2, new MeshConfig { Services = [.. services], Routes = [.. from.Config.Routes.Where(r => r.Id != "r-09")] });

        var delta = ConfigDeltas.Between(ConfigIndex.Of(from), ConfigIndex.Of(to));

        Assert.NotNull(delta);
        Assert.Equal("svc-02", Assert.Single(delta.Services).Name);
        Assert.Equal(["svc-09"], delta.RemovedServices);
        Assert.Equal(["r-09"], delta.RemovedRoutes);
        Assert.Empty(delta.Routes);
    }

    [Fact]
    public void Between_EverythingChanged_NullSoTheSnapshotIsSent()
    {
        var from = Mesh(1, routes: 10);
        var to = MeshSnapshot.Create(2, from.Config with { Routes = [.. from.Config.Routes.Select(r => r with { Order = 9 })],
            Services = [.. from.Config.Services.Select(s => s with { Owner = "someone else" })] });

        Assert.Null(ConfigDeltas.Between(ConfigIndex.Of(from), ConfigIndex.Of(to)));
    }

    [Fact]
    public void Apply_DeltaOntoItsBase_GivesTheNewConfigAndItsHash()
    {
        var from = Mesh(1, routes: 30);
        var routes = from.Config.Routes.Where(r => r.Id != "r-03").Select(r => r.Id == "r-04" ? r with { Order = -1 } : r)
            .Append(Route(99, "svc-01"));
        var to = MeshSnapshot.Create(2, from.Config with { Routes = [.. routes] });
        var delta = ConfigDeltas.Between(ConfigIndex.Of(from), ConfigIndex.Of(to))!;

        var applied = ConfigDeltas.Apply(from.Config, delta);

        Assert.Equal(to.Hash, CanonicalJson.Hash(applied));
        Assert.Equal(CanonicalJson.Serialize(to.Config), CanonicalJson.Serialize(applied));
    }

    [Fact]
    public void Apply_DeltaOntoAnotherConfig_HashDiffers()
    {
        var from = Mesh(1, routes: 30);
        var to = MeshSnapshot.Create(2, from.Config with { Routes = [.. from.Config.Routes.Append(Route(99, "svc-01"))] });
        var delta = ConfigDeltas.Between(ConfigIndex.Of(from), ConfigIndex.Of(to))!;
        var other = from.Config with { Routes = [.. from.Config.Routes.Skip(1)] };

        Assert.NotEqual(to.Hash, CanonicalJson.Hash(ConfigDeltas.Apply(other, delta)));
    }

    [Fact]
    public void Compose_TwoDeltasInARow_AppliedTogetherGiveTheSecondsConfig()
    {
        var one = Mesh(1, routes: 20);
        var two = MeshSnapshot.Create(2, one.Config with { Routes = [.. one.Config.Routes.Where(r => r.Id != "r-05").Append(Route(50, "svc-01"))] });
        var three = MeshSnapshot.Create(3, two.Config with { Routes = [.. two.Config.Routes.Where(r => r.Id != "r-50").Append(Route(5, "svc-02"))] });

        var composed = ConfigDeltas.Compose(
            ConfigDeltas.Between(ConfigIndex.Of(one), ConfigIndex.Of(two))!, ConfigDeltas.Between(ConfigIndex.Of(two), ConfigIndex.Of(three))!);

        Assert.Equal(1, composed.BaseRevision);
        Assert.Equal(3, composed.Revision);
        Assert.Equal(three.Hash, CanonicalJson.Hash(ConfigDeltas.Apply(one.Config, composed)));
        Assert.Equal("r-05", Assert.Single(composed.Routes).Id);
        Assert.Equal(["r-50"], composed.RemovedRoutes);
    }

    /// <summary>A valid mesh: a service per route, each route to its service's subset v1.</summary>
    internal static MeshSnapshot Mesh(long revision, int routes) => MeshSnapshot.Create(revision, new MeshConfig
    {
        Services = [.. Enumerable.Range(0, routes).Select(i => new ServiceConfig
        {
            Name = $"svc-{i:D2}",
            Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = $"i-{i:D2}", Address = $"http://10.0.0.{i + 1}:8080" }] }],
        })],
        Routes = [.. Enumerable.Range(0, routes).Select(i => Route(i, $"svc-{i:D2}"))],
    });

    private static RouteConfig Route(int i, string service) => new()
    {
        Id = $"r-{i:D2}",
        Match = new RouteMatch { Hosts = [$"h{i}.mesh"] },
        Backends = [new BackendRef { Service = service, Subset = "v1", Weight = 100 }],
    };
}

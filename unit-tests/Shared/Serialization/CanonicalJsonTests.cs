using MeshPortal.Shared.Config;
using System.Text.Json;
using MeshPortal.Shared.Serialization;
using MeshPortal.UnitTests.Shared.Fleet;

namespace MeshPortal.UnitTests.Shared.Serialization;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Hash_SameConfigInOtherOrder_SameHash()
    {
        var demo = TestConfigs.Demo();
        var reordered = demo with { Services = [.. demo.Services.Reverse()], Routes = [.. demo.Routes.Reverse()] };
        Assert.Equal(CanonicalJson.Hash(demo), CanonicalJson.Hash(reordered));
    }

    [Fact]
    public void Hash_WeightChanged_DifferentHash()
    {
        var demo = TestConfigs.Demo();
        var changed = demo with { Routes = [TestConfigs.Route("catalog", ("catalog", "v1", 51), ("catalog", "v2", 49)), demo.Routes[1]] };
        Assert.NotEqual(CanonicalJson.Hash(demo), CanonicalJson.Hash(changed));
    }

    [Fact]
    public void Create_SnapshotHashIndependentOfRevision() =>
        Assert.Equal(MeshSnapshot.Create(3, TestConfigs.Demo()).Hash, MeshSnapshot.Create(42, TestConfigs.Demo()).Hash);

    [Fact]
    public void Hash_IsLowercaseSha256Hex() =>
        Assert.Matches("^[0-9a-f]{64}$", CanonicalJson.Hash(MeshConfig.Empty));

    [Fact]
    public void Hash_DigestsCachedFromAnEarlierHash_EqualsTheHashOfAFreshCopy()
    {
        var config = ConfigDeltasTests.Mesh(1, routes: 40).Config;
        var cached = CanonicalJson.Hash(config);

        // A copy read back from JSON shares no instance, so every digest is computed anew.
        var copy = JsonSerializer.Deserialize<MeshConfig>(JsonSerializer.Serialize(config, MeshJson.Options), MeshJson.Options)!;

        Assert.Equal(cached, CanonicalJson.Hash(config));
        Assert.Equal(cached, CanonicalJson.Hash(copy));
    }

    [Fact]
    public void Hash_AnyOneItemChangedAfterCaching_DifferentHash()
    {
        var config = ConfigDeltasTests.Mesh(1, routes: 10).Config;
        var hash = CanonicalJson.Hash(config);
        var service = config.Services[3];
        var instance = service.Subsets[0].Instances[0];
        var changedInstance = config with
        {
            Services = [.. config.Services.Select(s => s != service ? s : s with
            {
                Subsets = [s.Subsets[0] with { Instances = [instance with { Address = "http://10.0.0.99:8080" }] }],
            })],
        };
        var changedRoute = config with { Routes = [.. config.Routes.Select((r, i) => i == 7 ? r with { Order = 1 } : r)] };
        var routeRemoved = config with { Routes = [.. config.Routes.Skip(1)] };
        var serviceRemoved = config with { Services = [.. config.Services.Skip(1)] };

        var hashes = new[] { changedInstance, changedRoute, routeRemoved, serviceRemoved }.Select(CanonicalJson.Hash).ToList();

        Assert.DoesNotContain(hash, hashes);
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void Normalize_AlreadyNormalized_SameInstanceAndItems()
    {
        var normalized = TestConfigs.Demo().Normalize();
        var rebuilt = new MeshConfig { Services = [.. normalized.Services], Routes = [.. normalized.Routes] };

        Assert.Same(normalized, normalized.Normalize());
        Assert.Equal(normalized.Services, rebuilt.Normalize().Services, ReferenceEqualityComparer.Instance);
    }

    [Fact]
    public void Normalize_UnsortedService_SortedOnceForThatInstance()
    {
        var demo = TestConfigs.Demo();
        var service = demo.Services[0] with { Subsets = [.. demo.Services[0].Subsets.Reverse()] };
        var config = demo with { Services = [service, .. demo.Services.Skip(1)] };

        var first = config.Normalize();
        var second = config.Normalize();

        var normalized = first.Services.Single(s => s.Name == service.Name);
        Assert.Equal(normalized.Subsets.Select(s => s.Name).Order(StringComparer.Ordinal), normalized.Subsets.Select(s => s.Name));
        Assert.Same(normalized, second.Services.Single(s => s.Name == service.Name));
    }
}

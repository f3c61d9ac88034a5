using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

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
}

using MeshPortal.Portal.Projections;
using MeshPortal.UnitTests.Shared;

namespace MeshPortal.UnitTests.Portal.Projections;

public sealed class ConfigDiffTests
{
    [Fact]
    public void Compute_WeightChanged_OneEntryPerBackendKeyedByServiceAndSubset()
    {
        var before = TestConfigs.Demo();
        var after = before with { Routes = [TestConfigs.Route("catalog", ("catalog", "v1", 70), ("catalog", "v2", 30)), before.Routes[1]] };

        var diff = ConfigDiff.Compute(before, after);

        Assert.Equal(
            [
                new DiffEntry("routes[catalog].backends[catalog/v1].weight", DiffKind.Changed, "50", "70"),
                new DiffEntry("routes[catalog].backends[catalog/v2].weight", DiffKind.Changed, "50", "30"),
            ],
            diff);
    }

    [Fact]
    public void Compute_SameConfigReordered_NoChanges()
    {
        var demo = TestConfigs.Demo();
        Assert.Empty(ConfigDiff.Compute(demo, demo with { Routes = [.. demo.Routes.Reverse()] }));
    }

    [Fact]
    public void Compute_ServiceAdded_AddedEntries()
    {
        var before = TestConfigs.Demo();
        var after = before with { Services = [.. before.Services, TestConfigs.Service("reviews", "v1")] };
        var diff = ConfigDiff.Compute(before, after);
        Assert.All(diff, e => Assert.Equal(DiffKind.Added, e.Kind));
        Assert.Contains(diff, e => e.Path == "services[reviews].subsets[v1].instances[reviews-v1].address");
    }
}

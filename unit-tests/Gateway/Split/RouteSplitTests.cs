using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Split;
using MeshPortal.Shared.Config;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.UnitTests.Gateway.Split;

public sealed class RouteSplitTests
{
    private const int Requests = 10_000;

    [Fact]
    public void Narrow_PickedBackend_OnlyThatBackendsDestinations()
    {
        var (split, destinations) = Translate(GatewayTestData.Config(50, 50, LoadBalancingPolicies.LeastRequests));

        var v1 = Narrow(split, 0, destinations);
        var v2 = Narrow(split, 1, destinations);

        Assert.Equal(["catalog/v1/catalog-v1"], v1.Select(d => d.DestinationId));
        Assert.Equal(["catalog/v2/catalog-v2a", "catalog/v2/catalog-v2b"], v2.Select(d => d.DestinationId).Order());
    }

    [Fact]
    public void Narrow_NinetyTenOverTenThousandRequests_SplitWithinOnePoint()
    {
        var (split, destinations) = Translate(GatewayTestData.Config(90, 10));

        var bySubset = Enumerable.Range(0, Requests)
            .Select(_ => Narrow(split, split.PickBackend(), destinations).Single())
            .CountBy(d => d.Model.Config.Metadata![ProxyConfigTranslator.SubsetMetadataKey])
            .ToDictionary();

        Assert.InRange(bySubset["v1"] * 100.0 / Requests, 89, 91);
        Assert.InRange(bySubset["v2"] * 100.0 / Requests, 9, 11);
    }

    [Fact]
    public void Narrow_RoundRobinFiftyFifty_EveryInstanceOfSubsetGetsItsShare()
    {
        // Alternating backends would stride a per-cluster round-robin counter over one v2 instance only.
        var (split, destinations) = Translate(GatewayTestData.Config(50, 50));

        var byInstance = Enumerable.Range(0, Requests)
            .Select(_ => Narrow(split, split.PickBackend(), destinations).Single().DestinationId)
            .CountBy(id => id)
            .ToDictionary();

        Assert.Equal(Requests / 2, byInstance["catalog/v1/catalog-v1"]);
        Assert.Equal(Requests / 4, byInstance["catalog/v2/catalog-v2a"]);
        Assert.Equal(Requests / 4, byInstance["catalog/v2/catalog-v2b"]);
    }

    [Fact]
    public void Narrow_SubsetWithoutInstances_NoDestinations()
    {
        var config = GatewayTestData.Config();
        var empty = config with
        {
            Services = [config.Services[0] with { Subsets = [config.Services[0].Subsets[0], new SubsetConfig { Name = "v2" }] }],
        };
        var (split, destinations) = Translate(empty);

        Assert.Empty(Narrow(split, 1, destinations));
    }

    [Fact]
    public void Narrow_EveryInstanceOfBackendEjected_PanicsToAllItsInstances()
    {
        var (split, destinations) = Translate(GatewayTestData.Config(50, 50, LoadBalancingPolicies.LeastRequests));
        var available = destinations.Where(d => d.DestinationId.StartsWith("catalog/v1/", StringComparison.Ordinal)).ToArray();

        var v2 = split.Narrow(1, available, destinations, out var group);

        Assert.Equal(["catalog/v2/catalog-v2a", "catalog/v2/catalog-v2b"], v2.Select(d => d.DestinationId).Order());
        Assert.Same(v2, group);
    }

    [Fact]
    public void Narrow_RoundRobin_PicksOneButReportsWholeGroupForRetries()
    {
        var (split, destinations) = Translate(GatewayTestData.Config(0, 100));

        var picked = split.Narrow(1, destinations, destinations, out var group);

        Assert.Single(picked);
        Assert.Equal(2, group.Count);
        Assert.Contains(group, d => ReferenceEquals(d, picked[0]));
    }

    [Fact]
    public void IsSingleBackend_OneBackend_TrueAndPicksIt()
    {
        var split = new RouteSplit("r", [new SplitBackend("catalog", "v1", 100)], roundRobinInSubset: true);

        Assert.True(split.IsSingleBackend);
        Assert.Equal(0, split.PickBackend());
    }

    private static IReadOnlyList<DestinationState> Narrow(RouteSplit split, int backend, IReadOnlyList<DestinationState> destinations) =>
        split.Narrow(backend, destinations, destinations, out _);

    private static (RouteSplit Split, IReadOnlyList<DestinationState> Destinations) Translate(MeshConfig config)
    {
        var route = ProxyConfigTranslator.Translate(MeshSnapshot.Create(1, config)).Translated.Single();
        var destinations = route.Cluster.Destinations!
            .Select(d => new DestinationState(d.Key, new DestinationModel(d.Value)))
            .ToArray();
        return (route.Split, destinations);
    }
}

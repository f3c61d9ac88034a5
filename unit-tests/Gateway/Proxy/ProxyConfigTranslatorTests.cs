using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Split;
using MeshPortal.Shared.Config;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using MeshRouteMatch = MeshPortal.Shared.Config.RouteMatch;
using YarpPolicies = Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class ProxyConfigTranslatorTests
{
    [Fact]
    public void Translate_MeshRoute_OneYarpRouteWithItsMatchHostsAsMetadataAndTimeout()
    {
        var proxy = ProxyConfigTranslator.Translate(GatewayTestData.Snapshot());

        var route = Assert.Single(proxy.Routes);
        Assert.Equal("catalog", route.RouteId);
        Assert.Equal("catalog", route.ClusterId);
        Assert.Null(route.Match.Hosts);
        Assert.Equal("catalog", route.Metadata![ProxyConfigTranslator.HostsMetadataKey]);
        Assert.Equal("/api/{**catch-all}", route.Match.Path);
        Assert.Equal(["GET"], route.Match.Methods);
        Assert.Null(route.Timeout);
        Assert.Equal("1500", route.Metadata![ProxyConfigTranslator.TimeoutMetadataKey]);
        Assert.Equal("5", route.Metadata![ProxyConfigTranslator.OrderMetadataKey]);
    }

    [Fact]
    public void Translate_NoPathPrefix_MatchesEveryPath()
    {
        var config = GatewayTestData.Config();
        config = config with { Routes = [config.Routes[0] with { Match = new MeshRouteMatch { Hosts = ["catalog"] } }] };

        var route = Assert.Single(ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(1, config)).Routes);

        Assert.Equal("/{**catch-all}", route.Match.Path);
        Assert.Null(route.Match.Methods);
    }

    [Fact]
    public void Translate_MeshRoute_OneClusterWithInstancesOfAllBackends()
    {
        var cluster = Assert.Single(ProxyConfigTranslator.Translate(GatewayTestData.Snapshot()).Clusters);

        Assert.Equal("catalog", cluster.ClusterId);
        var destinations = cluster.Destinations!;
        Assert.Equal(3, destinations.Count);
        Assert.Equal("http://127.0.0.1:7011", destinations["catalog/v1/catalog-v1"].Address);
        Assert.Equal("0", destinations["catalog/v1/catalog-v1"].Metadata![RouteSplit.BackendMetadataKey]);
        Assert.Equal("1", destinations["catalog/v2/catalog-v2a"].Metadata![RouteSplit.BackendMetadataKey]);
        Assert.Equal("v2", destinations["catalog/v2/catalog-v2b"].Metadata![ProxyConfigTranslator.SubsetMetadataKey]);
    }

    public static TheoryData<string, string> Policies => new()
    {
        { LoadBalancingPolicies.RoundRobin, YarpPolicies.RoundRobin },
        { LoadBalancingPolicies.LeastRequests, YarpPolicies.LeastRequests },
        { LoadBalancingPolicies.PowerOfTwoChoices, YarpPolicies.PowerOfTwoChoices },
        { LoadBalancingPolicies.Random, YarpPolicies.Random },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void Translate_LoadBalancingPolicy_ClusterUsesYarpPolicy(string mesh, string yarp)
    {
        var translated = ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(1, GatewayTestData.Config(loadBalancing: mesh))).Translated.Single();

        Assert.Equal(yarp, translated.Cluster.LoadBalancingPolicy);
        Assert.Equal(mesh == LoadBalancingPolicies.RoundRobin, translated.Split.RoundRobinInSubset);
    }

    [Fact]
    public void Translate_HeaderMatches_ExactToYarpRegexToOwnRule()
    {
        var config = GatewayTestData.Config();
        var match = config.Routes[0].Match with
        {
            Headers = [new HeaderMatch { Name = "x-user", Value = "alice" }, new HeaderMatch { Name = "x-canary", Value = "^(yes|true)$", Regex = true }],
        };
        config = config with { Routes = [config.Routes[0] with { Match = match }] };

        var translated = ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(1, config)).Translated.Single();

        var headers = translated.Route.Match.Headers!;
        Assert.Equal(HeaderMatchMode.ExactHeader, headers.Single(h => h.Name == "x-user").Mode);
        Assert.Equal(["alice"], headers.Single(h => h.Name == "x-user").Values);
        Assert.Equal(HeaderMatchMode.Exists, headers.Single(h => h.Name == "x-canary").Mode);
        var rule = Assert.Single(translated.HeaderRegexes);
        Assert.Equal("x-canary", rule.Header);
    }

    [Fact]
    public void Translate_SeveralRoutes_UniqueOrdersFollowingMeshOrderThenId()
    {
        var config = GatewayTestData.Config();
        var template = config.Routes[0];
        config = config with
        {
            Routes =
            [
                template with { Id = "b", Order = 1, Match = new MeshRouteMatch { Hosts = ["b"] } },
                template with { Id = "a", Order = 1, Match = new MeshRouteMatch { Hosts = ["a"] } },
                template with { Id = "z", Order = -3, Match = new MeshRouteMatch { Hosts = ["z"] } },
            ],
        };

        var routes = ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(1, config)).Routes;

        Assert.Equal(["z", "a", "b"], routes.OrderBy(r => r.Order).Select(r => r.RouteId));
        Assert.Equal(3, routes.Select(r => r.Order).Distinct().Count());
    }

    [Fact]
    public void Translate_WeightsChanged_RouteConfigDiffersSoYarpRebuildsTheEndpoint()
    {
        var before = ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(1, GatewayTestData.Config(90, 10))).Routes.Single();
        var same = ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(2, GatewayTestData.Config(90, 10))).Routes.Single();
        var after = ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(3, GatewayTestData.Config(50, 50))).Routes.Single();

        Assert.Equal(before, same);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Translate_ValidSnapshot_PassesYarpsOwnValidation()
    {
        var config = GatewayTestData.Config();
        var canary = config.Routes[0] with
        {
            Id = "canary",
            Match = new MeshRouteMatch { Headers = [new HeaderMatch { Name = "x-canary", Value = "yes", Regex = true }] },
        };
        config = config with { Routes = [.. config.Routes, canary] };
        using var services = new ServiceCollection().AddLogging().AddReverseProxy().Services.BuildServiceProvider();
        var validator = services.GetRequiredService<IConfigValidator>();

        foreach (var route in ProxyConfigTranslator.Translate(GatewayTestData.Snapshot(1, config)).Translated)
        {
            Assert.Empty(await validator.ValidateRouteAsync(route.Route));
            Assert.Empty(await validator.ValidateClusterAsync(route.Cluster));
        }
    }

    [Fact]
    public void Translate_BreakerAndHealthCheck_YarpPassiveAndActiveChecksWithThresholds()
    {
        var cluster = Assert.Single(ProxyConfigTranslator.Translate(WithPolicies(new RoutePolicies
        {
            CircuitBreaker = new CircuitBreakerPolicy { ConsecutiveFailures = 3, EjectSeconds = 20 },
            HealthCheck = new HealthCheckPolicy { Path = "/ready", IntervalSeconds = 2, TimeoutMs = 300, UnhealthyThreshold = 4 },
        })).Clusters);

        var health = cluster.HealthCheck!;
        Assert.Equal("HealthyOrPanic", health.AvailableDestinationsPolicy);
        Assert.Equal(MeshPortal.Gateway.Health.CircuitBreakerPolicy.PolicyName, health.Passive!.Policy);
        Assert.Equal(TimeSpan.FromSeconds(20), health.Passive.ReactivationPeriod);
        Assert.Equal("/ready", health.Active!.Path);
        Assert.Equal(TimeSpan.FromSeconds(2), health.Active.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(300), health.Active.Timeout);
        Assert.Equal("3", cluster.Metadata![MeshPortal.Gateway.Health.CircuitBreakerPolicy.FailuresMetadataKey]);
        Assert.Equal("4", cluster.Metadata[Yarp.ReverseProxy.Health.ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName]);
    }

    [Fact]
    public void Translate_NoHealthPolicies_NoHealthChecks()
    {
        var cluster = Assert.Single(ProxyConfigTranslator.Translate(GatewayTestData.Snapshot()).Clusters);

        Assert.Null(cluster.HealthCheck);
        Assert.Null(cluster.Metadata);
    }

    [Fact]
    public void Translate_PoliciesChanged_RouteConfigDiffersSoYarpRebuildsTheEndpoint()
    {
        var before = Assert.Single(ProxyConfigTranslator.Translate(WithPolicies(new RoutePolicies())).Routes);
        var after = Assert.Single(ProxyConfigTranslator.Translate(WithPolicies(new RoutePolicies
        {
            Retries = new RetryPolicy { Attempts = 2 },
        })).Routes);

        Assert.NotEqual(before, after);
        Assert.False(before.Metadata!.ContainsKey(ProxyConfigTranslator.RetriesMetadataKey));
        Assert.True(after.Metadata!.ContainsKey(ProxyConfigTranslator.RetriesMetadataKey));
    }

    private static MeshSnapshot WithPolicies(RoutePolicies policies)
    {
        var config = GatewayTestData.Config();
        return MeshSnapshot.Create(1, config with { Routes = [config.Routes[0] with { Policies = policies }] });
    }
}

using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class RouteHandlersBuilderTests
{
    private readonly RouteHandlersBuilder _builder = new(new GatewayMetrics(), TimeProvider.System);

    [Fact]
    public void Build_NoPolicies_NoHandlers()
    {
        var handlers = Build(new RoutePolicies { Retries = new RetryPolicy { Attempts = 0 }, Fault = new FaultPolicy() });

        Assert.Equal(new RouteHandlers(null, null, null), handlers["catalog"]);
    }

    [Fact]
    public void Build_SameLimitsAgain_BucketAndBudgetCarriedOver()
    {
        var policies = new RoutePolicies
        {
            RateLimit = new RateLimitPolicy { RequestsPerSecond = 10 },
            Retries = new RetryPolicy { Attempts = 2 },
        };
        var served = Build(policies);

        var next = Build(policies with { TimeoutMs = 500 }, served);

        Assert.Same(served["catalog"].RateLimit!.Bucket, next["catalog"].RateLimit!.Bucket);
        Assert.Same(served["catalog"].Retries!.Budget, next["catalog"].Retries!.Budget);
    }

    [Fact]
    public void Build_ChangedLimits_FreshBucketAndBudget()
    {
        var served = Build(new RoutePolicies
        {
            RateLimit = new RateLimitPolicy { RequestsPerSecond = 10 },
            Retries = new RetryPolicy { Attempts = 2 },
        });

        var next = Build(
            new RoutePolicies { RateLimit = new RateLimitPolicy { RequestsPerSecond = 20 }, Retries = new RetryPolicy { Attempts = 2, BudgetPercent = 5 } },
            served);

        Assert.Equal(20, next["catalog"].RateLimit!.Bucket.RequestsPerSecond);
        Assert.Equal(5, next["catalog"].Retries!.Budget.Percent);
    }

    private IReadOnlyDictionary<string, RouteHandlers> Build(RoutePolicies policies, IReadOnlyDictionary<string, RouteHandlers>? served = null)
    {
        var config = GatewayTestData.Config();
        config = config with { Routes = [config.Routes[0] with { Policies = policies }] };
        return _builder.Build(ProxyConfigTranslator.Translate(MeshSnapshot.Create(1, config)), served ?? new Dictionary<string, RouteHandlers>());
    }
}

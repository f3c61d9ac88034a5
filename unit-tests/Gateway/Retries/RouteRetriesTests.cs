using MeshPortal.Gateway.Retries;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;

namespace MeshPortal.UnitTests.Gateway.Retries;

public sealed class RouteRetriesTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void Covers_DefaultPolicy_OnlyIdempotentMethods(string method, bool covered)
    {
        Assert.Equal(covered, Retries(new RetryPolicy { Attempts = 1 }).Covers(method));
    }

    [Fact]
    public void Covers_NonIdempotentAllowed_EveryMethod()
    {
        Assert.True(Retries(new RetryPolicy { Attempts = 1, NonIdempotent = true }).Covers("POST"));
    }

    [Fact]
    public void RetriesOn_ConfiguredConditions_OnlyThose()
    {
        var retries = Retries(new RetryPolicy { Attempts = 1, RetryOn = ["503"] });

        Assert.True(retries.RetriesOn(503));
        Assert.False(retries.RetriesOn(502));
        Assert.False(retries.RetriesOn(500));
        Assert.False(retries.OnConnectFailure);
    }

    private static RouteRetries Retries(RetryPolicy policy) => new(policy, new RetryBudget(policy.BudgetPercent), new RoutePolicyCounters());
}

using System.Net;
using MeshPortal.Shared.Config;
using MeshPortal.UnitTests.Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.Retries;

/// <summary>Retries through a real gateway to real backends: one that works and one that does not.</summary>
public sealed class RetryMiddlewareTests
{
    private static readonly RequestDelegate Good = async context =>
    {
        using var reader = new StreamReader(context.Request.Body);
        await context.Response.WriteAsync($"good:{await reader.ReadToEndAsync()}");
    };

    private static readonly RequestDelegate Unavailable = context =>
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync("bad");
    };

    private static readonly RequestDelegate Slow = context => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);

    [Fact]
    public async Task Get_OneInstanceAnswers503_EveryRequestAnsweredByTheOther()
    {
        await using var host = await StartAsync(Unavailable, new RetryPolicy { Attempts = 1 });

        var answers = await SendAsync(host, HttpMethod.Get, 20);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "good:"), a));
        Assert.Contains("mesh_gateway_retries_total{route=\"catalog\"} 10\n", await host.Admin.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Get_InstanceRefusesConnections_RetriedOnConnectFailure()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate> { ["good"] = Good },
            addresses => GatewayTestData.OneSubset(
                new Dictionary<string, string>(addresses) { ["dead"] = GatewayHost.DeadAddress() },
                new RoutePolicies { Retries = new RetryPolicy { Attempts = 1, RetryOn = [RouteRetriesConnectFailure] } }));

        var answers = await SendAsync(host, HttpMethod.Get, 20);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "good:"), a));
    }

    [Fact]
    public async Task Post_OneInstanceAnswers503_NotRetriedAndPassedOnWhole()
    {
        await using var host = await StartAsync(Unavailable, new RetryPolicy { Attempts = 1 });

        var answers = await SendAsync(host, HttpMethod.Post, 20, "order");

        Assert.Equal(10, answers.Count(a => a == (HttpStatusCode.ServiceUnavailable, "bad")));
        Assert.Equal(10, answers.Count(a => a == (HttpStatusCode.OK, "good:order")));
    }

    [Fact]
    public async Task Post_NonIdempotentAllowed_RetriedWithTheWholeBody()
    {
        await using var host = await StartAsync(Unavailable, new RetryPolicy { Attempts = 1, NonIdempotent = true });

        var answers = await SendAsync(host, HttpMethod.Post, 20, "order");

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "good:order"), a));
    }

    [Fact]
    public async Task Get_InstanceTooSlowForPerTryTimeout_RetriedOnTheOther()
    {
        await using var host = await StartAsync(Slow, new RetryPolicy { Attempts = 1, PerTryTimeoutMs = 100 });

        var answers = await SendAsync(host, HttpMethod.Get, 6);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "good:"), a));
    }

    [Fact]
    public async Task Get_EveryAttemptTooSlow_GatewayTimeout()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate> { ["slow-a"] = Slow, ["slow-b"] = Slow },
            addresses => GatewayTestData.OneSubset(addresses, new RoutePolicies { Retries = new RetryPolicy { Attempts = 1, PerTryTimeoutMs = 100 } }));

        var answers = await SendAsync(host, HttpMethod.Get, 2);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.GatewayTimeout, a.Status));
    }

    [Fact]
    public async Task Get_BudgetOfZero_FailurePassedOnUnretried()
    {
        await using var host = await StartAsync(Unavailable, new RetryPolicy { Attempts = 3, BudgetPercent = 0 });

        var answers = await SendAsync(host, HttpMethod.Get, 20);

        Assert.Equal(10, answers.Count(a => a == (HttpStatusCode.ServiceUnavailable, "bad")));
        Assert.Contains("mesh_gateway_retry_budget_exhausted_total{route=\"catalog\"} 10\n", await host.Admin.GetStringAsync("/metrics"));
    }

    private const string RouteRetriesConnectFailure = MeshPortal.Gateway.Retries.RouteRetries.ConnectFailure;

    private static Task<GatewayHost> StartAsync(RequestDelegate failing, RetryPolicy retries) =>
        GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate> { ["failing"] = failing, ["good"] = Good },
            addresses => GatewayTestData.OneSubset(addresses, new RoutePolicies { Retries = retries }));

    private static async Task<List<(HttpStatusCode Status, string Body)>> SendAsync(GatewayHost host, HttpMethod method, int requests, string? body = null)
    {
        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(method, "/") { Headers = { Host = "catalog" } };
            if (body is not null)
            {
                request.Content = new StringContent(body);
            }

            using var response = await host.Proxy.SendAsync(request);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        return answers;
    }
}

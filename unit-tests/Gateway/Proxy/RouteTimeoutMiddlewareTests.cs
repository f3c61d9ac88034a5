using System.Net;
using MeshPortal.Shared.Config;
using MeshPortal.UnitTests.Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.Proxy;

/// <summary>Route timeouts through a real gateway to a real backend that takes its time.</summary>
public sealed class RouteTimeoutMiddlewareTests
{
    private static readonly RequestDelegate Slow = async context =>
    {
        var delay = context.Request.Query["ms"] is [{ } ms] ? int.Parse(ms) : 300;
        await Task.Delay(TimeSpan.FromMilliseconds(delay), context.RequestAborted);
        await context.Response.WriteAsync("slow");
    };

    [Fact]
    public async Task Proxy_BackendSlowerThanRouteTimeout_GatewayTimeout()
    {
        var (status, _) = await SendAsync(new RoutePolicies { TimeoutMs = 50 });

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
    }

    [Fact]
    public async Task Proxy_BackendWithinRouteTimeout_AnswerPassedOn()
    {
        var answer = await SendAsync(new RoutePolicies { TimeoutMs = 5_000 });

        Assert.Equal((HttpStatusCode.OK, "slow"), answer);
    }

    [Fact]
    public async Task Proxy_RouteWithoutTimeout_AnswerPassedOn()
    {
        var answer = await SendAsync(new RoutePolicies());

        Assert.Equal((HttpStatusCode.OK, "slow"), answer);
    }

    [Fact]
    public async Task Proxy_RequestsAfterTimeoutsAndInTime_EachJudgedOnItsOwnClock()
    {
        // Timed requests reuse token sources: one that expired must never cut a later request short.
        await using var host = await StartAsync(new RoutePolicies { TimeoutMs = 500 });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, 0)).Status);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add((await GetAsync(host, i % 2 == 0 ? 1_500 : 0)).Status);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => GetAsync(host, i % 2 == 0 ? 1_500 : 0)));

        Assert.Equal([HttpStatusCode.GatewayTimeout, HttpStatusCode.OK, HttpStatusCode.GatewayTimeout, HttpStatusCode.OK, HttpStatusCode.GatewayTimeout, HttpStatusCode.OK], answers);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? HttpStatusCode.GatewayTimeout : HttpStatusCode.OK), concurrent.Select(a => a.Status));
    }

    [Fact]
    public async Task Proxy_EveryAttemptSlowerThanRouteTimeout_OneTimeoutCoversTheRetries()
    {
        // Four attempts of 800 ms each would take 3.2 s: the route's 1 s covers them all.
        await using var host = await StartAsync(new RoutePolicies { TimeoutMs = 1_000, Retries = new RetryPolicy { Attempts = 3, PerTryTimeoutMs = 800 } });

        // Timed from a warm gateway: the first request through a new host also pays for the JIT.
        await GetAsync(host, 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (status, _) = await GetAsync(host, 5_000);

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.InRange(clock.ElapsedMilliseconds, 950, 2_500);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(RoutePolicies policies)
    {
        await using var host = await StartAsync(policies);
        return await GetAsync(host, 300);
    }

    private static Task<GatewayHost> StartAsync(RoutePolicies policies) => GatewayHost.StartAsync(
        new Dictionary<string, RequestDelegate> { ["slow"] = Slow },
        addresses => GatewayTestData.OneSubset(addresses, policies));

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(GatewayHost host, int backendMs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/?ms={backendMs}") { Headers = { Host = "catalog" } };
        using var response = await host.Proxy.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

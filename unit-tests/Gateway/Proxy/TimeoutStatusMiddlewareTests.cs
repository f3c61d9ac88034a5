using System.Net;
using MeshPortal.Shared.Config;
using MeshPortal.UnitTests.Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.Proxy;

/// <summary>Route timeouts through a real gateway to a real backend that takes its time.</summary>
public sealed class TimeoutStatusMiddlewareTests
{
    private static readonly RequestDelegate Slow = async context =>
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300), context.RequestAborted);
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

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(RoutePolicies policies)
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate> { ["slow"] = Slow },
            addresses => GatewayTestData.OneSubset(addresses, policies));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "catalog" } };
        using var response = await host.Proxy.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

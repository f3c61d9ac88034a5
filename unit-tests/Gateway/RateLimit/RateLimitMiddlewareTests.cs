using System.Net;
using MeshPortal.Shared.Config;
using MeshPortal.UnitTests.Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.RateLimit;

public sealed class RateLimitMiddlewareTests
{
    [Fact]
    public async Task Get_OverTheRate_TooManyRequestsWithRetryAfterAndReason()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate> { ["a"] = context => context.Response.WriteAsync("a") },
            addresses => GatewayTestData.OneSubset(addresses, new RoutePolicies { RateLimit = new RateLimitPolicy { RequestsPerSecond = 1 } }));

        using var first = await host.Proxy.SendAsync(Catalog());
        using var second = await host.Proxy.SendAsync(Catalog());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter?.Delta);
        Assert.Equal("mesh gateway: route 'catalog' is limited to 1 requests/s on this gateway\n", await second.Content.ReadAsStringAsync());
        var metrics = await host.Admin.GetStringAsync("/metrics");
        Assert.Contains("mesh_gateway_rate_limited_total{route=\"catalog\"} 1\n", metrics);
        Assert.Contains("mesh_gateway_requests_total{route=\"catalog\",service=\"catalog\",subset=\"v1\",code_class=\"4xx\"} 1\n", metrics);
    }

    private static HttpRequestMessage Catalog() => new(HttpMethod.Get, "/") { Headers = { Host = "catalog" } };
}

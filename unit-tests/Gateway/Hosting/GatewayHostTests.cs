using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.Hosting;

public sealed class GatewayHostTests
{
    private const int Requests = 10_000;

    [Fact]
    public async Task Proxy_LastKnownGoodNinetyTenWithPortalDown_TenThousandRequestsSplitWithinOnePoint()
    {
        await using var host = await GatewayHost.StartAsync((90, 10));
        var answers = new ConcurrentDictionary<string, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            using var response = await host.Proxy.SendAsync(Catalog("/"), ct);
            answers.AddOrUpdate(await response.Content.ReadAsStringAsync(ct), 1, (_, n) => n + 1);
        });

        Assert.Equal(["catalog-v1", "catalog-v2a", "catalog-v2b"], answers.Keys.Order());
        Assert.InRange(answers["catalog-v1"] * 100.0 / Requests, 89, 91);
        Assert.InRange((answers["catalog-v2a"] + answers["catalog-v2b"]) * 100.0 / Requests, 9, 11);
        Assert.InRange(answers["catalog-v2a"], answers["catalog-v2b"] - 10, answers["catalog-v2b"] + 10);
    }

    [Fact]
    public async Task AdminPort_AdminEndpointsOnlyAndProxyPortProxiesOnly()
    {
        await using var host = await GatewayHost.StartAsync((100, 0));

        Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync("/healthz")).StatusCode);
        Assert.Equal("ready at revision 1\n", await host.Admin.GetStringAsync("/readyz"));
        Assert.Contains("\"revision\":1", await host.Admin.GetStringAsync("/config"));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.GetAsync("/")).StatusCode);
        Assert.Equal("catalog-v1", await (await host.Proxy.SendAsync(Catalog("/readyz"))).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Proxy.GetAsync("/healthz")).StatusCode);

        var metrics = await host.Admin.GetStringAsync("/metrics");
        Assert.Contains("mesh_gateway_applied_revision 1\n", metrics);
        Assert.Contains("mesh_gateway_requests_total{route=\"catalog\",service=\"catalog\",subset=\"v1\",code_class=\"2xx\"} 1\n", metrics);
        Assert.Contains("mesh_gateway_unrouted_requests_total 1\n", metrics);
    }

    [Theory]
    [InlineData("attacker.example:19001")]
    [InlineData("catalog")]
    public async Task AdminPort_HostNameNotAllowed_MisdirectedAndNoConfig(string host)
    {
        await using var gateway = await GatewayHost.StartAsync((100, 0));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/config");
        request.Headers.Host = host;

        using var response = await gateway.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.DoesNotContain("revision", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("localhost:19001")]
    [InlineData("10.0.3.7:19001")]
    [InlineData("[::1]:19001")]
    public async Task AdminPort_IpOrLocalhostHost_Answers(string host)
    {
        await using var gateway = await GatewayHost.StartAsync((100, 0));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Host = host;

        using var response = await gateway.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Proxy_NoConfigYet_ServiceUnavailableAndNotReady()
    {
        await using var host = await GatewayHost.StartAsync(lastKnownGood: null);

        var response = await host.Proxy.SendAsync(Catalog("/"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no config applied", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Admin.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Proxy_TraceparentGivenNoRequestId_TraceContinuedAndRequestIdAdded()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate>
            {
                ["echo"] = context => context.Response.WriteAsync($"{context.Request.Headers.TraceParent}|{context.Request.Headers["x-request-id"]}"),
            },
            addresses => GatewayTestData.OneSubset(addresses, new MeshPortal.Shared.Config.RoutePolicies()));
        using var request = Catalog("/");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        var seen = (await (await host.Proxy.SendAsync(request)).Content.ReadAsStringAsync()).Split('|');

        Assert.Matches("^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$", seen[0]);
        Assert.Matches("^[0-9a-f]{32}$", seen[1]);
    }

    [Fact]
    public async Task Proxy_RequestIdGiven_PassedOnUnchanged()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate> { ["echo"] = context => context.Response.WriteAsync(context.Request.Headers["x-request-id"].ToString()) },
            addresses => GatewayTestData.OneSubset(addresses, new MeshPortal.Shared.Config.RoutePolicies()));
        using var request = Catalog("/");
        request.Headers.Add("x-request-id", "caller-chose-this");

        Assert.Equal("caller-chose-this", await (await host.Proxy.SendAsync(request)).Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Catalog(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "catalog";
        return request;
    }
}

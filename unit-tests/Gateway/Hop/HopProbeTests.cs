using MeshPortal.Gateway.Hop;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.Hop;

public sealed class HopProbeTests
{
    private static readonly MeshConfig Config = new()
    {
        Routes =
        [
            new RouteConfig
            {
                Id = "catalog",
                Backends = [new BackendRef { Service = "catalog", Subset = "v1", Weight = 100 }],
                Policies = new RoutePolicies { HealthCheck = new HealthCheckPolicy { Path = "/healthz" } },
            },
            new RouteConfig { Id = "inventory", Backends = [new BackendRef { Service = "inventory", Subset = "v1", Weight = 100 }] },
        ],
    };

    private static HttpRequest Request(string method, string path, string query = "", long? length = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentLength = length;
        return context.Request;
    }

    [Fact]
    public void Refusal_GetOfTheRoutesHealthPath_None() =>
        Assert.Null(HopProbe.Refusal(Request("GET", "/healthz"), Config, "catalog"));

    [Theory]
    [InlineData("POST", "/healthz", "", null, "GET")]
    [InlineData("GET", "/admin/delete", "", null, "not the health path")]
    [InlineData("GET", "/healthz", "?drop=all", null, "not the health path")]
    [InlineData("GET", "/healthz", "", 12L, "no body")]
    public void Refusal_AnythingButTheHealthCheck_SaysWhy(string method, string path, string query, long? length, string said)
    {
        var refusal = HopProbe.Refusal(Request(method, path, query, length), Config, "catalog");

        Assert.Contains(said, refusal);
    }

    [Fact]
    public void Refusal_ServiceWhoseRoutesHaveNoHealthCheck_Refused()
    {
        var refusal = HopProbe.Refusal(Request("GET", "/healthz"), Config, "inventory");

        Assert.Equal("'/healthz' is not the health path of any route to inventory", refusal);
    }

    [Fact]
    public void Refusal_ChunkedBody_Refused()
    {
        var request = Request("GET", "/healthz");
        request.Headers.TransferEncoding = "chunked";

        Assert.Equal("a health probe has no body", HopProbe.Refusal(request, Config, "catalog"));
    }
}

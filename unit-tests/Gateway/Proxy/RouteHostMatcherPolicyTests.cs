using MeshPortal.Gateway.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Matching;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class RouteHostMatcherPolicyTests
{
    private static readonly Endpoint Catalog = Route("catalog", "Catalog.mesh");
    private static readonly Endpoint CatalogAdmin = Route("catalog-admin", "catalog.mesh:9000");
    private static readonly Endpoint Orders = Route("orders", "orders.mesh", "orders.internal");
    private static readonly Endpoint AnyHost = Route("fallback");

    [Theory]
    [InlineData("catalog.mesh", "catalog,fallback")]
    [InlineData("CATALOG.MESH:8080", "catalog,fallback")]
    [InlineData("catalog.mesh:9000", "catalog,catalog-admin,fallback")]
    [InlineData("orders.internal", "orders,fallback")]
    [InlineData("unknown.mesh", "fallback")]
    [InlineData("", "fallback")]
    public void GetDestination_RequestHost_RoutesOfThatHostAndThoseOfAnyHost(string host, string expected)
    {
        var policy = new RouteHostMatcherPolicy();
        var edges = policy.GetEdges([Catalog, CatalogAdmin, Orders, AnyHost]);
        var table = policy.BuildJumpTable(-1, [.. edges.Select((e, i) => new PolicyJumpTableEdge(e.State, i))]);
        var context = new DefaultHttpContext();
        if (host.Length > 0)
        {
            context.Request.Host = new HostString(host);
        }

        var edge = edges[table.GetDestination(context)];

        Assert.Equal(expected, string.Join(',', edge.Endpoints.Select(e => e.DisplayName)));
    }

    [Fact]
    public void AppliesToEndpoints_NoRouteNamesAHost_False() =>
        Assert.False(new RouteHostMatcherPolicy().AppliesToEndpoints([AnyHost]));

    private static Endpoint Route(string name, params string[] hosts) =>
        new(_ => Task.CompletedTask, new EndpointMetadataCollection(new RouteHosts(hosts)), name);
}

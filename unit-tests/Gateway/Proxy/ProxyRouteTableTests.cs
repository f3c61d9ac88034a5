using MeshPortal.Shared.Config;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class ProxyRouteTableTests
{
    private static readonly MeshConfig Mesh = new()
    {
        Services = [new ServiceConfig { Name = "svc", Owner = "t", Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = "i1", Address = "http://127.0.0.1:9", Node = "n1" }] }] }],
        Routes =
        [
            Route("catalog-admin", 0, hosts: ["catalog.mesh:9000"]),
            Route("catalog-api", 1, hosts: ["Catalog.mesh"], prefix: "/api"),
            Route("catalog-api-v2", 2, hosts: ["catalog.mesh"], prefix: "/api/v2"),
            Route("catalog-canary", 3, hosts: ["catalog.mesh"], headers: [new HeaderMatch { Name = "x-canary", Value = "^(yes|true)$", Regex = true }]),
            Route("catalog-beta", 4, hosts: ["catalog.mesh", "beta.mesh"], headers: [new HeaderMatch { Name = "x-beta", Value = "on" }]),
            Route("orders-write", 5, hosts: ["orders.mesh"], prefix: "/orders", methods: ["POST", "PUT"]),
            Route("orders-read", 6, hosts: ["orders.mesh"], prefix: "/orders", methods: ["GET"]),
            Route("catalog", 7, hosts: ["catalog.mesh"]),
            Route("shop-web", 8, prefix: "/web"),
            Route("shop-flag", 9, headers: [new HeaderMatch { Name = "x-flag", Value = "a" }]),
            Route("only-delete", 10, prefix: "/delete", methods: ["DELETE"]),
        ],
    };

    public static TheoryData<string, string, string, string> Requests => new()
    {
        // method, host, path, headers ("name=value;...")
        { "GET", "catalog.mesh", "/", "" },
        { "GET", "CATALOG.MESH:8080", "/api/items", "" },
        { "GET", "catalog.mesh", "/API", "" },
        { "GET", "catalog.mesh", "/apiary", "" },
        { "GET", "catalog.mesh", "//api/x", "" },
        { "GET", "catalog.mesh", "/api/v2/x", "" },
        { "GET", "catalog.mesh", "/api/V2", "" },
        { "GET", "catalog.mesh", "/api/v2x", "" },
        { "GET", "catalog.mesh:9000", "/api/x", "" },
        { "GET", "catalog.mesh:9001", "/x", "" },
        { "GET", "catalog.mesh", "/x", "x-canary=yes" },
        { "GET", "catalog.mesh", "/x", "x-canary=yes please" },
        { "GET", "catalog.mesh", "/x", "x-beta=on" },
        { "GET", "catalog.mesh", "/x", "x-beta=ON" },
        { "GET", "beta.mesh", "/x", "x-beta=off, on" },
        { "GET", "beta.mesh", "/x", "x-beta=\"on\"" },
        { "GET", "beta.mesh", "/x", "x-beta=\"a,on\"" },
        { "GET", "beta.mesh", "/x", "" },
        { "POST", "orders.mesh", "/orders/1", "" },
        { "get", "orders.mesh", "/orders", "" },
        { "DELETE", "orders.mesh", "/orders/1", "" },
        { "DELETE", "other.mesh", "/orders/1", "" },
        { "PATCH", "other.mesh", "/delete", "" },
        { "DELETE", "other.mesh", "/delete/x", "" },
        { "GET", "other.mesh", "/web/x", "" },
        { "GET", "other.mesh", "/web", "x-flag=a" },
        { "GET", "other.mesh", "/nothing", "x-flag=b" },
        { "GET", "other.mesh", "/nothing", "" },
        { "POST", "orders.mesh", "/web/x", "" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Match_Request_SameAsAspNetRouting(string method, string host, string path, string headers)
    {
        await using var reference = await RoutingReference.StartAsync(Mesh);

        var (table, routing) = await reference.MatchAsync(new HttpMethod(method), host, path, Headers(headers));

        Assert.Equal(routing, table);
    }

    [Theory]
    [InlineData("POST", "orders.mesh", "/orders/1", "orders-write")]
    [InlineData("GET", "orders.mesh", "/orders", "orders-read")]
    [InlineData("GET", "catalog.mesh", "/api/v2/x", "catalog-api")]
    [InlineData("GET", "catalog.mesh:9000", "/api/x", "catalog-admin")]
    [InlineData("GET", "other.mesh", "/nothing", "404 ")]
    public async Task Match_Request_FirstRouteInOrderOr404Or405(string method, string host, string path, string expected)
    {
        await using var reference = await RoutingReference.StartAsync(Mesh);

        var (table, _) = await reference.MatchAsync(new HttpMethod(method), host, path);

        Assert.Equal(expected, table);
    }

    [Theory]
    [InlineData("DELETE", "orders.mesh", "/orders/1", "405 GET, POST, PUT")]
    [InlineData("DELETE", "elsewhere.mesh", "/orders/1", "405 GET, POST, PUT")]
    [InlineData("GET", "elsewhere.mesh", "/orders/1", "404 ")]
    [InlineData("PATCH", "elsewhere.mesh", "/delete", "405 DELETE")]
    [InlineData("PATCH", "elsewhere.mesh", "/other", "404 ")]
    public async Task Match_OnlyRoutesNamingOtherMethods_405WithAllowElse404(string method, string host, string path, string expected)
    {
        var mesh = Mesh with { Routes = [.. Mesh.Routes.Where(r => r.Match.Methods.Count > 0)] };
        await using var reference = await RoutingReference.StartAsync(mesh);

        var (table, routing) = await reference.MatchAsync(new HttpMethod(method), host, path);

        Assert.Equal(expected, table);
        Assert.Equal(routing, table);
    }

    private static (string, string)[] Headers(string headers) =>
        [.. headers.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => h.Split('=', 2)).Select(p => (p[0], p[1]))];

    private static RouteConfig Route(string id, int order, string[]? hosts = null, string? prefix = null, string[]? methods = null, HeaderMatch[]? headers = null) => new()
    {
        Id = id,
        Order = order,
        Match = new RouteMatch { Hosts = hosts ?? [], PathPrefix = prefix, Methods = methods ?? [], Headers = headers ?? [] },
        Backends = [new BackendRef { Service = "svc", Subset = "v1", Weight = 100 }],
    };
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>
/// Access policies on real gateways, with callers known by their own loopback address (as pods by their
/// IP): a catalog instance on 127.0.1.11 and a frontend instance on 127.0.1.12, each listening and calling
/// from its address. The demo's own processes share 127.0.0.1 and so are only labelled by their header.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class AccessPolicyTests(MeshFixture mesh, ITestOutputHelper output)
{
    private const string CatalogAddress = "127.0.1.11";
    private const string FrontendAddress = "127.0.1.12";

    [Fact]
    public async Task InventoryAllowsOnlyCatalog_CatalogByAddressServedOthersAndForgedHeader403DrawnDenied()
    {
        var n1 = mesh.Gateways[0].ProxyUrl;
        var (catalogUrl, catalog) = await DemoShop.StartInstanceAsync(mesh, "catalog", "probe", "catalog-probe", n1, CatalogAddress);
        var (frontendUrl, frontend) = await DemoShop.StartInstanceAsync(mesh, "frontend", "probe", "frontend-probe", n1, FrontendAddress);
        try
        {
            // Instances of subsets no route sends traffic to: they only give the two callers their identity.
            await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services/catalog/instances", $$"""{"subset":"probe","id":"catalog-probe","address":"{{catalogUrl}}","node":"n1"}""");
            await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services/frontend/instances", $$"""{"subset":"probe","id":"frontend-probe","address":"{{frontendUrl}}","node":"n1"}""");
            var set = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/services/inventory/access", """{"allow":["catalog"],"reason":"e2e: only catalog reads stock"}""");
            await mesh.WaitAllSyncedAsync(set.GetProperty("revision").GetInt64());

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            // catalog-probe calls inventory through n1 from its own address: allowed, stock in its answer.
            using var viaCatalog = await http.GetAsync($"{catalogUrl}/");
            var catalogBody = await viaCatalog.Content.ReadAsStringAsync();
            Assert.True(viaCatalog.IsSuccessStatusCode, catalogBody);
            Assert.Contains("stock", catalogBody, StringComparison.Ordinal);

            // A caller from the shared 127.0.0.1 that names itself catalog: the header grants nothing.
            var forged = await InventoryAsync(n1, from: null, header: "catalog");
            Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
            Assert.Equal("application/problem+json", forged.ContentType);
            using (var problem = JsonDocument.Parse(forged.Body))
            {
                Assert.Equal("inventory", problem.RootElement.GetProperty("policy").GetProperty("service").GetString());
                Assert.Equal(["catalog"], problem.RootElement.GetProperty("policy").GetProperty("allow").EnumerateArray().Select(a => a.GetString()));
                Assert.Equal("external", problem.RootElement.GetProperty("source").GetString());
            }

            // frontend, known by its address, is not on the list either; nor is its header honoured.
            var fromFrontend = await InventoryAsync(n1, from: IPAddress.Parse(FrontendAddress), header: "catalog");
            Assert.Equal(HttpStatusCode.Forbidden, fromFrontend.Status);
            using (var problem = JsonDocument.Parse(fromFrontend.Body))
            {
                Assert.Equal("frontend", problem.RootElement.GetProperty("source").GetString());
                Assert.Contains("service 'frontend' (known by its address)", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            // The refused edge frontend → inventory is drawn as denied, beside catalog → inventory.
            List<JsonElement> edges = [];
            await Poll.UntilAsync(async () =>
            {
                using var graph = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/topology?window=60"));
                edges = [.. graph.RootElement.GetProperty("edges").EnumerateArray().Where(e => e.GetProperty("target").GetString() == "inventory").Select(e => e.Clone())];
                return edges.Any(e => e.GetProperty("source").GetString() == "frontend" && Denied(e) > 0)
                    && edges.Any(e => e.GetProperty("source").GetString() == "catalog");
            }, TimeSpan.FromSeconds(10), () => $"no denied frontend → inventory edge on /api/topology: {string.Join("; ", edges.Select(e => e.GetRawText()))}", intervalMs: 250);
            output.WriteLine(string.Join("\n", edges.Select(e => e.GetRawText())));

            var history = await mesh.Api.Http.GetStringAsync("/api/history?limit=20");
            Assert.Contains("service inventory callable by catalog", history, StringComparison.Ordinal);
            Assert.Contains("e2e: only catalog reads stock", history, StringComparison.Ordinal);
        }
        finally
        {
            var reset = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/services/inventory/access", """{"allow":["*"],"reason":"e2e: everyone again"}""");
            await mesh.Api.SendOkAsync(HttpMethod.Delete, "/api/services/catalog/instances/catalog-probe", "{}");
            await mesh.Api.SendOkAsync(HttpMethod.Delete, "/api/services/frontend/instances/frontend-probe", "{}");
            await catalog.DisposeAsync();
            await frontend.DisposeAsync();
            await mesh.WaitAllSyncedAsync(reset.GetProperty("revision").GetInt64());
        }
    }

    [Fact]
    public async Task PutAccess_EveryoneWithANameOrBadName_400NamingTheEntryAndNothingChanged()
    {
        var before = await mesh.Api.RevisionAsync();

        var response = await mesh.Api.SendAsync(HttpMethod.Put, "/api/services/inventory/access", """{"allow":["catalog","*","Bad Name"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("allow[1]", body, StringComparison.Ordinal);
        Assert.Contains("allow[2]", body, StringComparison.Ordinal);
        Assert.Equal(before.Revision, (await mesh.Api.RevisionAsync()).Revision);
    }

    private static double Denied(JsonElement edge) => edge.TryGetProperty("deniedRps", out var denied) ? denied.GetDouble() : 0;

    /// <summary>GET inventory through <paramref name="gateway"/> from <paramref name="from"/> (null: 127.0.0.1) with an x-mesh-source header.</summary>
    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> InventoryAsync(string gateway, IPAddress? from, string header)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = from is null ? null : async (context, ct) =>
            {
                var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway}/");
        request.Headers.Host = "inventory";
        request.Headers.Add("x-mesh-source", header);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>
/// Access policies on real gateways. The demo's workloads each listen and call from a loopback address
/// of their own (<see cref="DemoShop.Addresses"/>), as pods from their IPs, so the gateways know them by
/// address; this test calls from the shared 127.0.0.1 (nobody) and from the frontend's address.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class AccessPolicyTests(MeshFixture mesh, ITestOutputHelper output)
{
    [Fact]
    public async Task InventoryAllowsOnlyCatalog_DemoServedFrontendAndForgedHeader403DrawnDenied()
    {
        var n1 = mesh.Gateways[0].ProxyUrl;
        try
        {
            var set = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/services/inventory/access", """{"allow":["catalog"],"reason":"e2e: only catalog reads stock"}""");
            await mesh.WaitAllSyncedAsync(set.GetProperty("revision").GetInt64());

            // The demo's own path frontend → catalog → inventory still works: catalog is known by its address.
            for (var i = 0; i < 10; i++)
            {
                var shop = await GetAsync(n1, "frontend", from: null, header: null);
                Assert.True(shop.Status == HttpStatusCode.OK, shop.Body);
                Assert.Contains("stock", shop.Body, StringComparison.Ordinal);
            }

            // A caller from the shared 127.0.0.1 that names itself catalog: the header grants nothing.
            var forged = await GetAsync(n1, "inventory", from: null, header: "catalog");
            Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
            Assert.Equal("application/problem+json", forged.ContentType);
            using (var problem = JsonDocument.Parse(forged.Body))
            {
                Assert.Equal("inventory", problem.RootElement.GetProperty("policy").GetProperty("service").GetString());
                Assert.Equal(["catalog"], problem.RootElement.GetProperty("policy").GetProperty("allow").EnumerateArray().Select(a => a.GetString()));
                Assert.Equal("external", problem.RootElement.GetProperty("source").GetString());
            }

            // frontend, known by its address, is not on the list either; nor is its header honoured.
            var fromFrontend = await GetAsync(n1, "inventory", from: IPAddress.Parse(DemoShop.Addresses["frontend-v1"]), header: "catalog");
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
                return edges.Any(e => Source(e) == "frontend" && Denied(e) > 0) && edges.Any(e => Source(e) == "catalog");
            }, TimeSpan.FromSeconds(10), () => $"no denied frontend → inventory edge on /api/topology: {string.Join("; ", edges.Select(e => e.GetRawText()))}", intervalMs: 250);
            // The forged call above is drawn as catalog (a header labels an unknown caller) and counted denied there too.
            output.WriteLine(string.Join("\n", edges.Select(e => e.GetRawText())));

            var history = await mesh.Api.Http.GetStringAsync("/api/history?limit=20");
            Assert.Contains("service inventory callable by catalog", history, StringComparison.Ordinal);
            Assert.Contains("e2e: only catalog reads stock", history, StringComparison.Ordinal);
        }
        finally
        {
            var reset = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/services/inventory/access", """{"allow":["*"],"reason":"e2e: everyone again"}""");
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

    private static string? Source(JsonElement edge) => edge.GetProperty("source").GetString();

    private static double Denied(JsonElement edge) => edge.TryGetProperty("deniedRps", out var denied) ? denied.GetDouble() : 0;

    /// <summary>GET <paramref name="host"/> through <paramref name="gateway"/> from <paramref name="from"/> (null: 127.0.0.1), with an x-mesh-source header if given.</summary>
    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(string gateway, string host, IPAddress? from, string? header)
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
        request.Headers.Host = host;
        if (header is not null)
        {
            request.Headers.Add("x-mesh-source", header);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}

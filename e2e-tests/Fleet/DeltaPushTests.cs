using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Gateway;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Fleet;

/// <summary>
/// Real gateways take a one-route change as a delta and end on the portal's hash; a gateway that missed
/// the delta's base (it refused that revision) asks for, and gets, the whole snapshot.
/// </summary>
[Collection(GatewayMeshCollection.Name)]
public sealed class DeltaPushTests(GatewayMeshFixture fixture, ITestOutputHelper output)
{
    private const string Deltas = "mesh_gateway_config_deltas_total";
    private const string SnapshotRequests = "mesh_gateway_config_snapshot_requests_total";

    [Fact]
    public async Task OneRouteChange_EveryGatewayAppliesADeltaAndServesThePortalsHash()
    {
        var mesh = fixture.Mesh;
        await fixture.ResetCatalogAsync();
        using var http = new HttpClient();
        var before = await CountersAsync(http, mesh);

        var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":70},{"service":"catalog","subset":"v2","weight":30}],"reason":"e2e: delta"}""");
        var revision = changed.GetProperty("revision").GetInt64();
        await mesh.WaitAllSyncedAsync(revision);

        var head = await mesh.Api.RevisionAsync();
        var after = await CountersAsync(http, mesh);
        foreach (var gateway in mesh.Gateways)
        {
            Assert.Equal(before[gateway.Node][Deltas] + 1, after[gateway.Node][Deltas]);
            Assert.Equal(before[gateway.Node][SnapshotRequests], after[gateway.Node][SnapshotRequests]);
            await AssertServesAsync(http, gateway, head);
        }

        output.WriteLine($"revision {revision}: every gateway composed one delta, asked for no snapshot, serves hash {head.Hash}");
    }

    [Fact]
    public async Task DeltaAfterARefusedRevision_GatewayAsksForTheSnapshotAndServesThePortalsHash()
    {
        var mesh = fixture.Mesh;
        await fixture.ResetCatalogAsync();
        using var http = new HttpClient();
        var added = new List<string>();
        try
        {
            var routes = JsonDocument.Parse(await http.GetStringAsync($"{mesh.Gateways[0].AdminUrl}/config"))
                .RootElement.GetProperty("config").GetProperty("routes").GetArrayLength();
            for (var i = routes; i < GatewayMeshFixture.MaxRoutes; i++)
            {
                await AddRouteAsync(mesh, added);
            }

            await mesh.WaitAllSyncedAsync();
            var before = await CountersAsync(http, mesh);

            // One route over the gateways' limit: refused, so they stay on the revision before it…
            var refused = await AddRouteAsync(mesh, added);
            await Poll.UntilAsync(async () => (await mesh.Api.GatewaysAsync()).Count(g => g.State == "NACKED" && mesh.Gateways.Any(n => n.Node == g.Node)) == mesh.Gateways.Count,
                TimeSpan.FromSeconds(10), () => mesh.Logs());

            // …and the next delta starts from the refused revision: a gap for every one of them.
            var removed = await mesh.Api.SendOkAsync(HttpMethod.Delete, $"/api/routes/{added[^1]}?confirm=true", "{}");
            added.RemoveAt(added.Count - 1);
            await mesh.WaitAllSyncedAsync(removed.GetProperty("revision").GetInt64());

            var head = await mesh.Api.RevisionAsync();
            var after = await CountersAsync(http, mesh);
            foreach (var gateway in mesh.Gateways)
            {
                Assert.True(after[gateway.Node][SnapshotRequests] > before[gateway.Node][SnapshotRequests], $"{gateway.Node} asked for no snapshot");
                await AssertServesAsync(http, gateway, head);
            }

            output.WriteLine($"revision {refused} refused by every gateway; the delta after it was a gap: each asked for the snapshot and serves {head.Revision} ({head.Hash})");
        }
        finally
        {
            foreach (var id in Enumerable.Reverse(added))
            {
                await mesh.Api.SendOkAsync(HttpMethod.Delete, $"/api/routes/{id}?confirm=true", "{}");
            }

            await mesh.WaitAllSyncedAsync();
        }
    }

    private static async Task AssertServesAsync(HttpClient http, GatewayNode gateway, RevisionView head)
    {
        var served = JsonDocument.Parse(await http.GetStringAsync($"{gateway.AdminUrl}/config")).RootElement;
        Assert.Equal(head.Revision, served.GetProperty("revision").GetInt64());
        Assert.Equal(head.Hash, served.GetProperty("hash").GetString());
    }

    private static async Task<Dictionary<string, Dictionary<string, long>>> CountersAsync(HttpClient http, MeshFixture mesh)
    {
        var counters = new Dictionary<string, Dictionary<string, long>>();
        foreach (var gateway in mesh.Gateways)
        {
            var text = await http.GetStringAsync($"{gateway.AdminUrl}/metrics");
            counters[gateway.Node] = new[] { Deltas, SnapshotRequests }.ToDictionary(name => name, name =>
                long.Parse(Regex.Match(text, $@"^{name} (\d+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture));
        }

        return counters;
    }

    private static async Task<long> AddRouteAsync(MeshFixture mesh, List<string> added)
    {
        var id = $"delta-{added.Count + 1}";
        var created = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
            $$"""{"id":"{{id}}","match":{"hosts":["{{id}}"]},"backends":[{"service":"inventory","subset":"v1","weight":100}]}""");
        added.Add(id);
        return created.GetProperty("revision").GetInt64();
    }
}

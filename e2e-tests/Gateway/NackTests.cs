using System.Diagnostics;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Gateway;

[Collection(GatewayMeshCollection.Name)]
public sealed class NackTests(GatewayMeshFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task SnapshotOverGatewayRouteLimit_NackedByEveryGatewayWithinTwoSecondsAndTrafficUnaffected()
    {
        var mesh = fixture.Mesh;
        var added = new List<string>();
        try
        {
            // Up to the gateways' limit: accepted.
            var routes = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/routes")).RootElement.GetArrayLength();
            for (var i = routes; i < GatewayMeshFixture.MaxRoutes; i++)
            {
                await AddRouteAsync(mesh, added);
            }

            var good = await mesh.Api.RevisionAsync();
            await mesh.WaitAllSyncedAsync(good.Revision);

            // One more: refused by every gateway, each keeping the last good config.
            using var load = new SteadyLoad([.. mesh.Gateways.Select(g => g.ProxyUrl)]);
            using var stopLoad = new CancellationTokenSource();
            var running = load.RunAsync(rps: 150, requests: int.MaxValue, stopLoad.Token);
            var refused = await AddRouteAsync(mesh, added);
            var clock = Stopwatch.StartNew();
            IReadOnlyList<GatewayView> seen = [];
            var nacked = await Poll.UntilAsync(async () =>
            {
                seen = await mesh.Api.GatewaysAsync();
                return mesh.Gateways.All(g => seen.Any(v => v.Node == g.Node && v.State == "NACKED"));
            }, TimeSpan.FromSeconds(2), () => $"after {clock.ElapsedMilliseconds} ms: {string.Join("; ", seen)}");

            var expected = $"snapshot has {GatewayMeshFixture.MaxRoutes + 1} routes; this gateway accepts at most {GatewayMeshFixture.MaxRoutes}";
            using var http = new HttpClient();
            foreach (var gateway in mesh.Gateways)
            {
                var view = seen.Single(v => v.Node == gateway.Node && v.State == "NACKED");
                Assert.Contains(expected, view.LastError);
                Assert.Equal(good.Revision, view.AppliedRevision);
                var served = JsonDocument.Parse(await http.GetStringAsync($"{gateway.AdminUrl}/config")).RootElement;
                Assert.Equal(good.Revision, served.GetProperty("revision").GetInt64());
            }

            await Task.Delay(1000);
            await stopLoad.CancelAsync();
            await running;
            var failed = load.Outcomes.Where(o => o.Failed).ToList();
            output.WriteLine($"revision {refused} ({GatewayMeshFixture.MaxRoutes + 1} routes) NACKed by all {mesh.Gateways.Count} gateways " +
                $"{nacked.TotalMilliseconds:0} ms after the write, each still serving revision {good.Revision}; " +
                $"lastError \"{seen[0].LastError}\"; {load.Outcomes.Count} requests meanwhile, {failed.Count} failed");
            Assert.True(failed.Count == 0, $"{failed.Count} failed: {string.Join("; ", failed.Take(10))}");
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

    private static async Task<long> AddRouteAsync(MeshFixture mesh, List<string> added)
    {
        var id = $"extra-{added.Count + 1}";
        var created = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
            $$"""{"id":"{{id}}","match":{"hosts":["{{id}}"]},"backends":[{"service":"inventory","subset":"v1","weight":100}]}""");
        added.Add(id);
        return created.GetProperty("revision").GetInt64();
    }
}

using System.Diagnostics;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Gateway;

[Collection(GatewayMeshCollection.Name)]
public sealed class PortalOutageTests(GatewayMeshFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task PortalDown_GatewaysServeAndRestartedOneServesLastGood_AllSyncedWithinFiveSecondsOfItsReturn()
    {
        var mesh = fixture.Mesh;
        await fixture.ResetCatalogAsync();

        // Restarting a node's gateway interrupts the mTLS hops into that node for the restart (as a
        // ztunnel restart does in ambient Istio), so the load goes to catalog v1 on n2 only. The
        // restarted n3 then proves it kept its certificate and peers: its requests hop to n2.
        var toV1 = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":100}],"reason":"e2e: nothing on n3 during its restart"}""");
        await mesh.WaitAllSyncedAsync(toV1.GetProperty("revision").GetInt64());
        var head = await mesh.Api.RevisionAsync();

        // Load through n1 and n2 for the whole outage; n3 is restarted meanwhile.
        using var load = new SteadyLoad([mesh.Gateways[0].ProxyUrl, mesh.Gateways[1].ProxyUrl]);
        using var stopLoad = new CancellationTokenSource();
        var running = load.RunAsync(rps: 200, requests: int.MaxValue, stopLoad.Token);

        await Task.Delay(1000);
        await mesh.StopPortalAsync();
        var down = Stopwatch.StartNew();
        await Task.Delay(1000);

        var n3 = await mesh.RestartGatewayAsync(mesh.Gateways[2]);
        using var http = new HttpClient();
        await Poll.UntilAsync(() => MeshFixture.IsOkAsync(http, $"{n3.AdminUrl}/readyz"), TimeSpan.FromSeconds(10), () => n3.Process.Output);
        var served = JsonDocument.Parse(await http.GetStringAsync($"{n3.AdminUrl}/config")).RootElement;
        Assert.Equal(head.Revision, served.GetProperty("revision").GetInt64());
        Assert.Equal(head.Hash, served.GetProperty("hash").GetString());
        using var throughN3 = new SteadyLoad([n3.ProxyUrl]);
        await throughN3.RunFlatOutAsync(200, concurrency: 4);
        Assert.DoesNotContain(throughN3.Outcomes, o => o.Failed);

        // Long enough for the gateways' reconnect backoff to reach its cap.
        var rest = TimeSpan.FromSeconds(8) - down.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }

        await mesh.StartPortalAsync();
        var outage = down.Elapsed;
        var synced = await Poll.UntilAsync(async () =>
        {
            var gateways = await mesh.Api.GatewaysAsync();
            return mesh.Gateways.All(g => gateways.Any(v => v.Node == g.Node && v.State == "SYNCED" && v.AppliedRevision == head.Revision));
        }, TimeSpan.FromSeconds(5), () => mesh.Logs(), intervalMs: 10);

        await Task.Delay(500);
        await stopLoad.CancelAsync();
        await running;
        var outcomes = load.Outcomes;
        var failed = outcomes.Where(o => o.Failed).ToList();
        output.WriteLine($"portal down {outage.TotalSeconds:0.0} s; {outcomes.Count} requests through n1 and n2 meanwhile, {failed.Count} failed; " +
            $"restarted n3 served revision {head.Revision} from its last good config (200 requests, 0 failed); " +
            $"all {mesh.Gateways.Count} gateways SYNCED {synced.TotalMilliseconds:0} ms after the portal was ready again");
        Assert.True(failed.Count == 0, $"{failed.Count} failed: {string.Join("; ", failed.Take(10))}");
    }
}

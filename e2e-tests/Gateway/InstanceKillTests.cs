using System.Diagnostics;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Gateway;

[Collection(GatewayMeshCollection.Name)]
public sealed class InstanceKillTests(GatewayMeshFixture fixture, ITestOutputHelper output)
{
    private const string Ejected = "mesh_gateway_destination_healthy{route=\"catalog\",service=\"catalog\",subset=\"v1\",instance=\"catalog-v1b\"} 0\n";

    /// <summary>
    /// No retries here on purpose: the errors the kill causes are what the circuit breaker has to stop.
    /// </summary>
    [Fact]
    public async Task InstanceKilledUnderLoad_EjectedByEveryGatewayAndErrorsStopWithinFiveSeconds()
    {
        var mesh = fixture.Mesh;
        var (url, process) = await DemoShop.StartInstanceAsync(mesh, "catalog", "v1", "catalog-v1b", mesh.Gateways[1].ProxyUrl);
        await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services/catalog/instances", $$"""{"subset":"v1","id":"catalog-v1b","address":"{{url}}","node":"n2"}""");
        await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/policies",
            """{"policies":{"circuitBreaker":{"consecutiveFailures":3,"ejectSeconds":30},"healthCheck":{"path":"/healthz","intervalSeconds":1,"timeoutMs":500,"unhealthyThreshold":2}},"reason":"e2e: breaker"}""");
        var split = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":100},{"service":"catalog","subset":"v2","weight":0}],"reason":"e2e: all to v1"}""");
        await mesh.WaitAllSyncedAsync(split.GetProperty("revision").GetInt64());
        try
        {
            using var load = new SteadyLoad([.. mesh.Gateways.Select(g => g.ProxyUrl)]);
            var running = load.RunAsync(rps: 300, requests: 300 * 12);
            await Task.Delay(3000);
            var killedAt = load.Elapsed;
            await process.DisposeAsync();
            var ejected = await Poll.UntilAsync(async () =>
            {
                using var http = new HttpClient();
                foreach (var gateway in mesh.Gateways)
                {
                    if (!(await http.GetStringAsync($"{gateway.AdminUrl}/metrics")).Contains(Ejected, StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                return true;
            }, TimeSpan.FromSeconds(5), () => "catalog-v1b still in rotation on some gateway");
            await running;

            var outcomes = load.Outcomes;
            var failed = outcomes.Where(o => o.Failed).ToList();
            var lastError = failed.Count > 0 ? failed[^1].SentAt - killedAt : TimeSpan.Zero;
            var after = outcomes.Count(o => o.SentAt > killedAt + TimeSpan.FromSeconds(5));
            output.WriteLine($"{outcomes.Count} requests at 300 req/s through 3 gateways; catalog-v1b killed at {killedAt.TotalSeconds:0.0} s; " +
                $"ejected by every gateway within {ejected.TotalMilliseconds:0} ms; {failed.Count} failed, the last sent " +
                $"{lastError.TotalMilliseconds:0} ms after the kill; {after} requests after kill + 5 s, none failed");
            Assert.True(lastError < TimeSpan.FromSeconds(5), $"errors went on: {string.Join("; ", failed.TakeLast(5))}");
            Assert.True(after > 600, $"only {after} requests after the first 5 s");
            // A request in flight at the kill may fail; one answered before it must not.
            Assert.DoesNotContain(failed, o => o.AnsweredAt < killedAt);
        }
        finally
        {
            await mesh.Api.SendOkAsync(HttpMethod.Delete, "/api/services/catalog/instances/catalog-v1b", "{}");
            await fixture.ResetCatalogAsync();
        }
    }
}

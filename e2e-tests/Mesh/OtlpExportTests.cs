using System.Net.Http.Headers;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>OTEL_EXPORTER_OTLP_ENDPOINT set: the gateway and the portal export to a real OTLP/HTTP endpoint.</summary>
[Collection(MeshCollection.Name)]
public sealed class OtlpExportTests(MeshFixture mesh)
{
    [Fact]
    public async Task Gateway_CallerSendsTraceparent_SpansExportedInCallersTraceAndInstanceContinuesIt()
    {
        await using var collector = new OtlpReceiver();
        var gateway = await mesh.StartGatewayAsync("n7", await mesh.MintTokenAsync("n7"), env: collector.Environment);
        try
        {
            await mesh.WaitAllSyncedAsync();
            var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            using var http = new HttpClient();
            string? instanceTrace = null;
            await Poll.UntilAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway.ProxyUrl}/");
                request.Headers.Host = "inventory";
                request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01");
                using var response = await http.SendAsync(request);
                instanceTrace = response.Headers.TryGetValues("x-trace-id", out var values) ? values.Single() : null;
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(20), () => gateway.Process.Output);

            Assert.Equal(traceId, instanceTrace);
            // OTLP carries trace ids as 16 raw bytes: finding them means the gateway's spans joined the caller's trace.
            await Poll.UntilAsync(() => Task.FromResult(collector.Received("/v1/traces", Convert.FromHexString(traceId))),
                TimeSpan.FromSeconds(15), () => $"exports: {string.Join(", ", collector.Paths)}\n{gateway.Process.Output}");
            await Poll.UntilAsync(() => Task.FromResult(collector.Received("/v1/metrics", "meshportal-gateway"u8)),
                TimeSpan.FromSeconds(15), () => $"exports: {string.Join(", ", collector.Paths)}");
        }
        finally
        {
            await gateway.Process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Portal_ApiRequest_SpanAndMetricsExported()
    {
        await using var collector = new OtlpReceiver();
        var (url, replica) = await mesh.StartPortalReplicaAsync([.. collector.Environment.Select(e => (e.Key, e.Value))]);
        try
        {
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", mesh.ApiKey);
            using var routes = await http.GetAsync($"{url}/api/routes");
            routes.EnsureSuccessStatusCode();

            await Poll.UntilAsync(() => Task.FromResult(collector.Received("/v1/traces", "/api/routes"u8)),
                TimeSpan.FromSeconds(15), () => $"exports: {string.Join(", ", collector.Paths)}\n{replica.Output}");
            await Poll.UntilAsync(() => Task.FromResult(collector.Received("/v1/metrics", "meshportal-portal"u8)),
                TimeSpan.FromSeconds(15), () => $"exports: {string.Join(", ", collector.Paths)}");
        }
        finally
        {
            await replica.DisposeAsync();
        }
    }
}

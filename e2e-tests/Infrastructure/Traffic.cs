using System.Text.Json;

namespace MeshPortal.E2ETests.Infrastructure;

public static class Traffic
{
    /// <summary>Requests to <paramref name="service"/> through gateway n1 until the portal's topology shows them (telemetry arrives every second).</summary>
    public static async Task SendUntilReportedAsync(MeshFixture mesh, string service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{mesh.Gateways[0].ProxyUrl}/");
                request.Headers.Host = service;
                using var response = await http.SendAsync(request);
            }

            var topology = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/topology?window=60")).RootElement;
            return topology.GetProperty("edges").EnumerateArray().Any(e => e.GetProperty("target").GetString() == service);
        }, TimeSpan.FromSeconds(20), mesh.Logs, intervalMs: 200);
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using MeshPortal.Bench.Common;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Bench.ControlPlane.Portal;

/// <summary>
/// One route replaced through the portal's REST API (PUT /api/routes/{id}, each write a real change of its
/// split), timed at the client from request to answer: validation, append on the mesh head, the projection
/// folding it in. First on a mesh of <c>small</c> routes, then, after one import of the whole config
/// (PUT /api/config), on <c>large</c> routes: a write should cost what it touches, not the mesh's size.
/// </summary>
internal sealed class RouteWriteBench(PortalApi api, string apiKey, int small, int large, int writes, int portalPid)
{
    public async Task<RouteWriteResult> RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        await ImportAsync(http, LargeMesh.Create(small, small * 5, 0), ct);
        var (smallMs, smallCpu) = await WritesAsync(http, small, ct);
        await ImportAsync(http, LargeMesh.Create(large, large * 5, 0), ct);
        var (largeMs, largeCpu) = await WritesAsync(http, large, ct);
        return new RouteWriteResult
        {
            SmallRoutes = small, LargeRoutes = large, SmallMs = smallMs, LargeMs = largeMs,
            SmallPortalCpuMs = smallCpu, LargePortalCpuMs = largeCpu,
        };
    }

    /// <summary>The whole mesh in one all-or-nothing import (YAML is a superset of JSON).</summary>
    private static async Task ImportAsync(HttpClient http, MeshConfig config, CancellationToken ct)
    {
        using var body = new StringContent(JsonSerializer.Serialize(config, MeshJson.Options));
        using var response = await http.PutAsync("/api/config?reason=bench", body, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"PUT /api/config → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    /// <summary>
    /// Replaces one route <see cref="writes"/> times (a few more first, to warm up), a different split each time;
    /// returns the client's times and the portal's CPU per write.
    /// </summary>
    private async Task<(IReadOnlyList<double> Ms, double PortalCpuMs)> WritesAsync(HttpClient http, int routes, CancellationToken ct)
    {
        // A route in the middle of the mesh, an ordinary one (the last is the probe).
        var route = LargeMesh.Create(routes, routes * 5, 0).Routes[routes / 2];
        const int warmup = 5;
        var times = new List<double>();
        double cpuBefore = 0;
        for (var i = 0; i < warmup + writes; i++)
        {
            if (i == warmup)
            {
                cpuBefore = ProcessCpu.Seconds(portalPid);
            }

            var weight = 1 + (i % 89);
            var changed = route with
            {
                Backends = [route.Backends[0] with { Weight = weight }, route.Backends[1] with { Weight = 100 - weight }],
            };
            using var body = new StringContent(JsonSerializer.Serialize(changed, MeshJson.Options), System.Text.Encoding.UTF8, "application/json");
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PutAsync($"/api/routes/{route.Id}?reason=bench", body, ct);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"PUT /api/routes/{route.Id} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }

            if (i >= warmup)
            {
                times.Add(elapsed);
            }
        }

        var cpuMs = (ProcessCpu.Seconds(portalPid) - cpuBefore) * 1000 / writes;
        Console.Error.WriteLine($"route writes at {routes} routes: p50 {Stats.Median(times):0.0} ms, p90 {Stats.Percentile(times, 90):0.0} ms, portal CPU {cpuMs:0.0} ms per write");
        return (times, cpuMs);
    }
}

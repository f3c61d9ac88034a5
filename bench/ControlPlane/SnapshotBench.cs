using System.Diagnostics;
using System.Text.Json;
using MeshPortal.Bench.Common;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Bench.ControlPlane;

/// <summary>
/// Snapshot size and apply time of a big mesh on a real gateway host, in this process: the same
/// services and pipeline as the gateway program, with a portal that is never reached.
/// </summary>
internal sealed class SnapshotBench(int routes, int instances, int repeats)
{
    public async Task<SnapshotResult> RunAsync(CancellationToken ct)
    {
        var state = Directory.CreateTempSubdirectory("meshportal-bench-gateway-");
        var proxyUrl = Ports.FreeUrl();
        await using var app = BuildGateway(proxyUrl, state.FullName);
        await app.StartAsync(ct);
        try
        {
            var applier = app.Services.GetRequiredService<ConfigApplier>();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var build = new List<double>();
            var apply = new List<double>();
            var serving = new List<double>();
            long bytes = 0;

            // The first apply warms the JIT; each later one is a real change (the probe route's host moves).
            for (var variant = 0; variant <= repeats; variant++)
            {
                var config = LargeMesh.Create(routes, instances, variant);
                var started = Stopwatch.GetTimestamp();
                var snapshot = MeshSnapshot.Create(variant + 1, config);
                var built = Stopwatch.GetTimestamp();
                var problem = await applier.ApplyAsync(snapshot, persist: true, ct);
                var applied = Stopwatch.GetTimestamp();
                if (problem is not null)
                {
                    throw new InvalidOperationException($"the gateway refused the big snapshot: {problem}");
                }

                await WaitRoutedAsync(http, proxyUrl, LargeMesh.ProbeHost(variant), ct);
                var routed = Stopwatch.GetTimestamp();
                if (variant == 0)
                {
                    bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot, MeshJson.Options).Length;
                    continue;
                }

                build.Add(Stopwatch.GetElapsedTime(started, built).TotalMilliseconds);
                apply.Add(Stopwatch.GetElapsedTime(built, applied).TotalMilliseconds);
                serving.Add(Stopwatch.GetElapsedTime(built, routed).TotalMilliseconds);
                Console.Error.WriteLine($"snapshot: build {build[^1]:0.0} ms, apply {apply[^1]:0.0} ms, serving after {serving[^1]:0.0} ms");
            }

            var delta = await DeltasAsync(app, http, proxyUrl, MeshSnapshot.Create(repeats + 1, LargeMesh.Create(routes, instances, repeats)), ct);
            return new SnapshotResult
            {
                Routes = routes, Instances = instances, JsonBytes = bytes,
                BuildMs = Stats.Median(build), ApplyMs = Stats.Median(apply), ServingMs = Stats.Median(serving),
                DeltaJsonBytes = delta.Bytes, DeltaComputeMs = delta.ComputeMs, DeltaApplyMs = delta.ApplyMs, DeltaServingMs = delta.ServingMs,
            };
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            state.Delete(recursive: true);
        }
    }

    /// <summary>
    /// One-route changes (the probe route's host) as deltas: computed as the portal does, sent as JSON,
    /// then on the gateway exactly the fleet client's path: deserialise, coalesce (compose and hash the
    /// whole result), validate, translate, swap.
    /// </summary>
    private async Task<(long Bytes, double ComputeMs, double ApplyMs, double ServingMs)> DeltasAsync(
        WebApplication app, HttpClient http, string proxyUrl, MeshSnapshot previous, CancellationToken ct)
    {
        var applier = app.Services.GetRequiredService<ConfigApplier>();
        var applied = app.Services.GetRequiredService<AppliedConfig>();
        var compute = new List<double>();
        var apply = new List<double>();
        var serving = new List<double>();
        long bytes = 0;
        var before = ConfigIndex.Of(previous);

        // Four times as many as whole snapshots: an apply a collection lands in takes several times longer,
        // and a median of six moved by whole milliseconds with where two or three of them fell.
        for (var variant = repeats + 1; variant <= 5 * repeats + 1; variant++)
        {
            // As the portal's state does, the next config keeps every record but the changed route's.
            var probe = LargeMesh.Create(routes, instances, variant).Routes[^1];
            var started = Stopwatch.GetTimestamp();
            var config = before.Snapshot.Config with { Routes = [.. before.Snapshot.Config.Routes.Select(r => r.Id == probe.Id ? probe : r)] };
            var after = ConfigIndex.Of(MeshSnapshot.Create(variant + 1, config));
            var delta = ConfigDeltas.Between(before, after) ?? throw new InvalidOperationException("a one-route change gave no delta");
            var computed = Stopwatch.GetTimestamp();
            var json = JsonSerializer.SerializeToUtf8Bytes(delta, MeshJson.Options);
            before = after;

            var received = Stopwatch.GetTimestamp();
            var message = new ConfigMessage(null, JsonSerializer.Deserialize<ConfigDelta>(json, MeshJson.Options));
            var next = ConfigCoalescer.Coalesce(applied.Current?.Snapshot, [message]);
            var problem = next.Fit == DeltaFit.Composed
                ? await applier.ApplyAsync(next.Snapshot, persist: true, ct, next.HashChecked)
                : $"the delta did not fit: {next.Fit}";
            var done = Stopwatch.GetTimestamp();
            if (problem is not null)
            {
                throw new InvalidOperationException($"the gateway refused the one-route delta: {problem}");
            }

            await WaitRoutedAsync(http, proxyUrl, LargeMesh.ProbeHost(variant), ct);
            var routed = Stopwatch.GetTimestamp();
            bytes = json.Length;
            compute.Add(Stopwatch.GetElapsedTime(started, computed).TotalMilliseconds);
            apply.Add(Stopwatch.GetElapsedTime(received, done).TotalMilliseconds);
            serving.Add(Stopwatch.GetElapsedTime(received, routed).TotalMilliseconds);
            Console.Error.WriteLine($"delta: {json.Length} bytes, portal {compute[^1]:0.0} ms, apply {apply[^1]:0.0} ms, serving after {serving[^1]:0.0} ms");
        }

        return (bytes, Stats.Median(compute), Stats.Median(apply), Stats.Median(serving));
    }

    private static WebApplication BuildGateway(string proxyUrl, string stateDirectory)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Port 9 (discard) on loopback refuses at once: the fleet client just keeps retrying.
            ["Gateway:PortalUrl"] = "http://127.0.0.1:9",
            ["Gateway:Token"] = "bench",
            ["Gateway:Node"] = "bench",
            ["Gateway:ProxyUrl"] = proxyUrl,
            ["Gateway:AdminUrl"] = Ports.FreeUrl(),
            ["Gateway:StateDirectory"] = stateDirectory,
        });
        builder.AddGateway();
        var app = builder.Build();
        app.UseGateway();
        return app;
    }

    /// <summary>Until the probe host is routed: the proxy answers 502 (closed port) instead of 404 (no route).</summary>
    private static async Task WaitRoutedAsync(HttpClient http, string proxyUrl, string host, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{proxyUrl}/web/probe") { Headers = { Host = host } };
            using var response = await http.SendAsync(request, ct);
            if ((int)response.StatusCode != StatusCodes.Status404NotFound)
            {
                return;
            }

            await Task.Delay(1, ct);
        }

        throw new TimeoutException($"the gateway did not route {host} within 30 s");
    }
}

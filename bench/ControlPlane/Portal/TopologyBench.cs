using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MeshPortal.Bench.Common;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using Microsoft.AspNetCore.SignalR.Client;

namespace MeshPortal.Bench.ControlPlane.Portal;

/// <summary>
/// GET /api/topology on the mesh of e2e-tests/Scale/ScaleMesh: <c>services</c> services (20 owners) and
/// their routes, each service calling three others (every 33rd failing half its calls), reported by
/// real fleet connections. The traffic is spread over <see cref="Nodes"/> gateways by calling service,
/// and the last <see cref="BackfillSeconds"/> are sent at once (each connection's telemetry burst allows
/// it) before the live seconds, so the portal holds a full steady-state window from the first read.
/// </summary>
internal sealed class TopologyBench(PortalApi api, string apiKey, int services, int samples, int portalPid)
{
    private const int Nodes = 10;
    private const int BackfillSeconds = 40;

    public async Task<TopologyResult> RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri(api.BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using (var body = new StringContent(JsonSerializer.Serialize(ScaleConfig(), MeshJson.Options)))
        using (var imported = await http.PutAsync("/api/config?reason=bench", body, ct))
        {
            imported.EnsureSuccessStatusCode();
        }

        var gateways = new List<HubConnection>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            for (var n = 0; n < Nodes; n++)
            {
                gateways.Add(await ConnectAsync($"topo{n + 1}", ct));
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            for (var second = now - BackfillSeconds + 1; second <= now; second++)
            {
                await SendAsync(gateways, second, ct);
            }

            var traffic = Task.Run(() => LiveAsync(gateways, stop.Token), ct);
            var edges = 0;
            var deadline = Stopwatch.StartNew();
            while ((edges = (await api.TopologyAsync(60)).GetProperty("edges").GetArrayLength()) < services * 3 && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200, ct);
            }

            var plain = await ReadsAsync(http, null, ct);
            var brotli = await ReadsAsync(http, "br", ct);
            await stop.CancelAsync();
            await traffic.ContinueWith(_ => { }, TaskScheduler.Default);
            return new TopologyResult
            {
                Services = services, Edges = edges,
                Ms = plain.Ms, Bytes = plain.Bytes, PortalCpuMs = plain.CpuMs,
                BrotliMs = brotli.Ms, BrotliBytes = brotli.Bytes, BrotliPortalCpuMs = brotli.CpuMs,
            };
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(gateways.Select(g => g.DisposeAsync().AsTask()));
        }
    }

    /// <summary><see cref="samples"/> reads after two to warm up; the client's times, the body's size and the portal's CPU per read.</summary>
    private async Task<(IReadOnlyList<double> Ms, long Bytes, double CpuMs)> ReadsAsync(HttpClient http, string? encoding, CancellationToken ct)
    {
        var times = new List<double>();
        long bytes = 0;
        double cpuBefore = 0;
        for (var i = 0; i < samples + 2; i++)
        {
            if (i == 2)
            {
                cpuBefore = ProcessCpu.Seconds(portalPid);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/topology");
            if (encoding is not null)
            {
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            }

            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            var body = await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync(ct);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 2)
            {
                times.Add(elapsed);
                bytes = body.Length;
            }
        }

        var cpuMs = (ProcessCpu.Seconds(portalPid) - cpuBefore) * 1000 / samples;
        Console.Error.WriteLine($"/api/topology ({encoding ?? "identity"}): median {Stats.Median(times):0.0} ms, {bytes / 1024.0:0} KB, portal CPU {cpuMs:0.0} ms per read");
        return (times, bytes, cpuMs);
    }

    private async Task<HubConnection> ConnectAsync(string node, CancellationToken ct)
    {
        var token = await api.MintGatewayTokenAsync(node);
        var connection = new HubConnectionBuilder()
            .WithUrl($"{api.BaseUrl}{FleetProtocol.HubPath}", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => MeshJson.Configure(o.PayloadSerializerOptions))
            .Build();
        await connection.StartAsync(ct);
        await connection.InvokeAsync(FleetProtocol.Hello, new GatewayHello { Node = node, GatewayId = $"{node}-bench", Version = "bench" }, ct);
        return connection;
    }

    private async Task LiveAsync(IReadOnlyList<HubConnection> gateways, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(ct))
        {
            await SendAsync(gateways, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ct);
        }
    }

    /// <summary>One second of traffic: each gateway reports the calls of the services on its node, answered (taken) or not.</summary>
    private async Task SendAsync(IReadOnlyList<HubConnection> gateways, long second, CancellationToken ct)
    {
        for (var n = 0; n < gateways.Count; n++)
        {
            var batch = new TelemetryBatch { Node = $"topo{n + 1}", UnixSecond = second, Records = [.. Records(n)] };
            if (!await gateways[n].InvokeAsync<bool>(FleetProtocol.Telemetry, batch, ct))
            {
                throw new InvalidOperationException($"the portal refused the telemetry of topo{n + 1} at {second}");
            }
        }
    }

    private string Name(int i) => $"svc-{i % services + 1:D4}";

    private MeshConfig ScaleConfig() => new()
    {
        Services = [.. Enumerable.Range(0, services).Select(i => new ServiceConfig
        {
            Name = Name(i),
            Owner = $"team-{i % 20 + 1:D2}",
            Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = $"{Name(i)}-1", Address = "http://127.0.0.1:9", Node = $"topo{i % Nodes + 1}" }] }],
        })],
        Routes = [.. Enumerable.Range(0, services).Select(i => new RouteConfig
        {
            Id = Name(i),
            Match = new RouteMatch { Hosts = [$"{Name(i)}.mesh"] },
            Backends = [new BackendRef { Service = Name(i), Subset = "v1", Weight = 100 }],
        })],
    };

    private IEnumerable<TelemetryRecord> Records(int node)
    {
        for (var i = node; i < services; i += Nodes)
        {
            foreach (var callee in new[] { i + 1, i + 7, i + 31 })
            {
                var count = 1 + callee % 7;
                yield return Record(Name(i), Name(callee), 2, count);
                if (callee % services % 33 == 0)
                {
                    yield return Record(Name(i), Name(callee), 5, count);
                }
            }
        }
    }

    private static TelemetryRecord Record(string source, string service, int statusClass, long count) => new()
    {
        Source = source, Route = service, Service = service, Subset = "v1", StatusClass = statusClass, Count = count,
        Latency = [.. Enumerable.Range(0, LatencyBuckets.Count).Select(b => b == 6 ? count : 0L)],
    };
}

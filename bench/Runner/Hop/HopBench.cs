using System.Globalization;
using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.DataPlane;
using MeshPortal.Bench.Runner.Stack;
using MeshPortal.Shared.Config;

namespace MeshPortal.Bench.Runner.Hop;

/// <summary>
/// The cross-node hop beside today's direct forward, on the same backend: client → n1 → backend (the
/// instance on n1) against client → n1 → (mTLS, HTTP/2) → n2 → backend (the instance on n2), at a fixed
/// rate over keep-alive connections and at saturation, round after round in turn. Both routes are
/// bare (no retries, breaker or split), so the difference is the hop alone.
/// </summary>
internal sealed class HopBench(Settings run)
{
    // A directory of its own: after the full run, gateways n1 and n2 of that stack left their state
    // (a later revision, another CA's certificate) under the same names.
    private readonly Settings settings = run with { WorkDirectory = Directory.CreateDirectory(Path.Combine(run.WorkDirectory, "hop")).FullName };

    private const string Local = "hop-local";
    private const string Remote = "hop-remote";

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken ct)
    {
        await using var stack = new MeshStack(settings);
        Console.Error.WriteLine($"hop bench: portal, backend, gateways n1 and n2 with inbound ports (logs: {settings.WorkDirectory})");
        await stack.StartPortalAsync(ct);
        var (backendUrl, _) = await stack.StartBackendAsync("backend", ct);
        await RegisterAsync(stack.Api, Local, backendUrl, "n1");
        await RegisterAsync(stack.Api, Remote, backendUrl, "n2");
        var n1 = await stack.StartGatewayAsync("n1", ct, $"https://127.0.0.1:{Ports.Free()}");
        var n2 = await stack.StartGatewayAsync("n2", ct, $"https://127.0.0.1:{Ports.Free()}");
        await stack.Api.WaitSyncedAsync(2, TimeSpan.FromSeconds(60));
        var gateway = stack.Gateways[0].ProxyUrl;
        await WaitServedAsync(gateway, Remote, ct);

        foreach (var host in new[] { Local, Remote })
        {
            await WrkResult.RunAsync(gateway, host, settings.Connections, settings.InitialWarmupSeconds, ct);
        }

        var saturation = new Dictionary<string, List<(double Rps, double CpuMsPerRequest)>> { [Local] = [], [Remote] = [] };
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var host in new[] { Local, Remote })
            {
                // The hop's CPU is both gateways'; the direct forward's is n1's alone (n2 idles).
                var cpuBefore = ProcessCpu.Seconds(n1.Id) + ProcessCpu.Seconds(n2.Id);
                var wrk = await WrkResult.RunAsync(gateway, host, settings.Connections, settings.MeasureSeconds, ct);
                var cpu = (ProcessCpu.Seconds(n1.Id) + ProcessCpu.Seconds(n2.Id) - cpuBefore) * 1000 / wrk.Requests;
                saturation[host].Add((wrk.RequestsPerSecond, cpu));
                Console.Error.WriteLine($"hop saturation round {round}: {host,-10} {wrk.RequestsPerSecond,9:N0} req/s  {cpu:0.000} CPU ms/request" +
                    (wrk.Errors > 0 ? $"  {wrk.Errors} errors" : ""));
            }
        }

        var fixedRate = new Dictionary<string, List<FixedRateResult>> { [Local] = [], [Remote] = [] };
        for (var round = 1; round <= settings.FixedRateRounds; round++)
        {
            foreach (var host in new[] { Local, Remote })
            {
                var result = await FixedRate.RunAsync(gateway, host, settings.FixedRate, settings.FixedRateConnections, TimeSpan.FromSeconds(settings.FixedRateSeconds), ct);
                fixedRate[host].Add(result);
                Console.Error.WriteLine($"hop fixed rate round {round}: {host,-10} p50 {result.P50Ms:0.00} ms  p90 {result.P90Ms:0.00} ms  p99 {result.P99Ms:0.00} ms" +
                    (result.Errors > 0 ? $"  {result.Errors} errors" : ""));
            }
        }

        return Lines(saturation, fixedRate);
    }

    private List<string> Lines(
        Dictionary<string, List<(double Rps, double CpuMsPerRequest)>> saturation, Dictionary<string, List<FixedRateResult>> fixedRate)
    {
        static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        double Median(string host, Func<FixedRateResult, double> of) => Stats.Median(fixedRate[host].Select(of));

        // Added latency pairs the rounds, so a slow patch of the machine counts against both alike.
        double Added(Func<FixedRateResult, double> of) => Stats.Median(fixedRate[Remote].Zip(fixedRate[Local], (r, l) => of(r) - of(l)));
        var rate = settings.FixedRate;
        var errors = fixedRate.Values.Sum(r => r.Sum(x => x.Errors));
        return
        [
            $"direct forward latency p50/p90/p99 at {rate} req/s: {F(Median(Local, r => r.P50Ms))} / {F(Median(Local, r => r.P90Ms))} / {F(Median(Local, r => r.P99Ms))} ms",
            $"mtls hop latency p50/p90/p99 at {rate} req/s: {F(Median(Remote, r => r.P50Ms))} / {F(Median(Remote, r => r.P90Ms))} / {F(Median(Remote, r => r.P99Ms))} ms",
            $"mtls hop added latency p50/p90/p99 at {rate} req/s: {F(Added(r => r.P50Ms))} / {F(Added(r => r.P90Ms))} / {F(Added(r => r.P99Ms))} ms",
            $"direct forward at saturation: {Stats.Median(saturation[Local].Select(s => s.Rps)):0} req/s",
            $"mtls hop at saturation: {Stats.Median(saturation[Remote].Select(s => s.Rps)):0} req/s",
            $"direct forward cpu per request (gateways): {F(Stats.Median(saturation[Local].Select(s => s.CpuMsPerRequest)) * 1000)} us",
            $"mtls hop cpu per request (both gateways): {F(Stats.Median(saturation[Remote].Select(s => s.CpuMsPerRequest)) * 1000)} us",
            $"hop fixed-rate errors: {errors} requests",
        ];
    }

    private static async Task RegisterAsync(PortalApi api, string name, string backendUrl, string node)
    {
        await api.RegisterServiceAsync(new ServiceConfig
        {
            Name = name,
            Owner = "bench",
            Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = $"{name}-1", Address = backendUrl, Node = node }] }],
        });
        await api.PutRouteAsync(new RouteConfig
        {
            Id = name,
            Match = new RouteMatch { Hosts = [name] },
            Backends = [new BackendRef { Service = name, Subset = "v1", Weight = 100 }],
        });
    }

    /// <summary>Until the hop route answers 200: n1 has n2's inbound URL and both have their certificates.</summary>
    private static async Task WaitServedAsync(string gateway, string host, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway}/");
            request.Headers.Host = host;
            try
            {
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"the hop route '{host}' did not answer 200 through n1 within 60 s");
            }

            await Task.Delay(200, ct);
        }
    }
}

using System.Diagnostics;
using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.Stack;

namespace MeshPortal.Bench.Runner.Freshness;

/// <summary>
/// From a backend starting to fail to the portal's topology (GET /api/topology, the Topology page's
/// 60 s window) showing errors on its edge. Each trial uses its own service, so errors of earlier
/// trials never linger in the window, and starts the failure at a random phase of the gateways'
/// one-second telemetry tick.
/// </summary>
internal sealed class FreshnessBench(PortalApi api, string gatewayUrl, string backendUrl, int trials)
{
    private const int WindowSeconds = 60;
    private const int LoadWorkers = 4;
    private static readonly TimeSpan LoadPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(30);

    private volatile string _host = BenchConfig.FreshHost(0);

    public async Task<IReadOnlyList<double>> RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = Task.WhenAll(Enumerable.Range(0, LoadWorkers).Select(_ => LoadAsync(http, stopLoad.Token)));
        var seconds = new List<double>();
        try
        {
            for (var trial = 0; trial < trials; trial++)
            {
                var service = BenchConfig.FreshHost(trial);
                _host = service;
                await UntilEdgeAsync(service, e => e.ErrorRate == 0 && e.Rps > 0, ct);
                await Task.Delay(Random.Shared.Next(0, 1000), ct);
                var failed = Stopwatch.GetTimestamp();
                await SwitchAsync(http, "fail", ct);
                await UntilEdgeAsync(service, e => e.ErrorRate > 0, ct);
                seconds.Add(Stopwatch.GetElapsedTime(failed).TotalSeconds);
                await SwitchAsync(http, "recover", ct);
                Console.Error.WriteLine($"freshness trial {trial + 1}: errors shown after {seconds[^1]:0.000} s");
            }
        }
        finally
        {
            await stopLoad.CancelAsync();
            await load;
        }

        return seconds;
    }

    /// <summary>About 50 requests/s per worker through the gateway to the current trial's service.</summary>
    private async Task LoadAsync(HttpClient http, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{gatewayUrl}/") { Headers = { Host = _host } };
                using var response = await http.SendAsync(request, ct);
                await Task.Delay(LoadPause, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // A slow answer is load, not a result: the topology is what this measures.
            }
        }
    }

    private async Task SwitchAsync(HttpClient http, string state, CancellationToken ct)
    {
        using var response = await http.PostAsync($"{backendUrl}/_bench/{state}", null, ct);
        response.EnsureSuccessStatusCode();
    }

    private async Task UntilEdgeAsync(string service, Func<Edge, bool> condition, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TrialTimeout)
        {
            var topology = await api.TopologyAsync(WindowSeconds);
            var edge = topology.GetProperty("edges").EnumerateArray()
                .Where(e => e.GetProperty("target").GetString() == service)
                .Select(e => new Edge(e.GetProperty("rps").GetDouble(), e.GetProperty("errorRate").GetDouble()))
                .FirstOrDefault();
            if (edge is not null && condition(edge))
            {
                return;
            }

            await Task.Delay(PollInterval, ct);
        }

        throw new TimeoutException($"the topology edge to {service} did not reach the expected state within {TrialTimeout.TotalSeconds} s");
    }

    private sealed record Edge(double Rps, double ErrorRate);
}

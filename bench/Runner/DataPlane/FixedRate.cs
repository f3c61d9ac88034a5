using System.Diagnostics;
using System.Net;
using MeshPortal.Bench.Common;

namespace MeshPortal.Bench.Runner.DataPlane;

/// <summary>Latency percentiles of one fixed-rate run, in milliseconds, and how many answers were not 2xx.</summary>
internal sealed record FixedRateResult(double P50Ms, double P90Ms, double P99Ms, int Requests, int Errors);

/// <summary>
/// An open-loop, constant-rate load (the way Istio's benchmark quotes a proxy's added latency): request i
/// is due at t0 + i / rate, spread over a fixed set of HTTP/1.1 keep-alive connections, each one
/// sending its share at rate / connections. A request held back because the one before it on its
/// connection was still waiting is timed from when it was due, not from when it could go, so a stall
/// of the target counts for every request it delayed (no coordinated omission, as in wrk2). A request
/// sent late only because our own timer woke late is timed from when it went: that lateness is the
/// generator's, not the target's.
/// </summary>
internal static class FixedRate
{
    public static async Task<FixedRateResult> RunAsync(string url, string host, int rate, int connections, TimeSpan duration, CancellationToken ct)
    {
        var perConnection = (int)(rate * duration.TotalSeconds / connections);
        var interval = TimeSpan.FromSeconds((double)connections / rate);
        // Far enough ahead for every worker to open its connection with one unmeasured request.
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        var workers = Enumerable.Range(0, connections).Select(k =>
            Task.Run(() => ConnectionAsync(url, host, start + (long)(k * interval.TotalSeconds * Stopwatch.Frequency / connections), interval, perConnection, ct), ct));
        var runs = await Task.WhenAll(workers);
        var latencies = runs.SelectMany(r => r.Latencies).ToArray();
        return new FixedRateResult(Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 90), Stats.Percentile(latencies, 99),
            latencies.Length, runs.Sum(r => r.Errors));
    }

    private static async Task<(List<double> Latencies, int Errors)> ConnectionAsync(
        string url, string host, long first, TimeSpan interval, int count, CancellationToken ct)
    {
        // One handler per worker with one connection: the worker owns its keep-alive connection.
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var target = new Uri($"{url}/");
        using (var opening = new HttpRequestMessage(HttpMethod.Get, target) { Version = HttpVersion.Version11 })
        {
            opening.Headers.Host = host;
            using var _ = await client.SendAsync(opening, ct);
        }

        var latencies = new List<double>(count);
        var errors = 0;
        var previousEnd = 0L;
        for (var i = 0; i < count; i++)
        {
            var due = first + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            var sent = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Get, target) { Version = HttpVersion.Version11 };
            request.Headers.Host = host;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                if (!response.IsSuccessStatusCode)
                {
                    errors++;
                }
            }
            catch (HttpRequestException)
            {
                errors++;
            }

            var end = Stopwatch.GetTimestamp();
            var from = previousEnd > due ? due : sent;
            latencies.Add(Stopwatch.GetElapsedTime(from, end).TotalMilliseconds);
            previousEnd = end;
        }

        return (latencies, errors);
    }
}

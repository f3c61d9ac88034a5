using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace MeshPortal.E2ETests.Gateway;

/// <summary>One request of a load run: when it was sent and answered (from the start), how it ended, which subset answered.</summary>
public sealed record LoadOutcome(TimeSpan SentAt, TimeSpan AnsweredAt, int Status, string? Subset, string? Error)
{
    public bool Failed => Error is not null || Status is < 200 or >= 300;

    public override string ToString() => $"sent {SentAt.TotalSeconds:0.000}s answered {AnsweredAt.TotalSeconds:0.000}s {Status} {Error}";
}

/// <summary>
/// Calls catalog (<c>Host: catalog</c>) through the given gateways in turn, either at a steady rate
/// (request k is due at k / rps seconds, as the shop's load generator does) or flat out.
/// </summary>
public sealed class SteadyLoad(IReadOnlyList<string> gateways) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly ConcurrentBag<LoadOutcome> _outcomes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Time since the load object was made: the clock of <see cref="LoadOutcome.SentAt"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyList<LoadOutcome> Outcomes => [.. _outcomes.OrderBy(o => o.SentAt)];

    /// <summary>Requests answered (or failed) so far.</summary>
    public int Completed => _outcomes.Count;

    /// <summary>Sends <paramref name="requests"/> at <paramref name="rps"/> per second, or until <paramref name="stop"/>.</summary>
    public async Task RunAsync(int rps, int requests, CancellationToken stop = default)
    {
        var started = _clock.Elapsed;
        var inFlight = new List<Task>();
        for (var sent = 0; sent < requests && !stop.IsCancellationRequested;)
        {
            var due = Math.Min(requests, (long)((_clock.Elapsed - started).TotalSeconds * rps) + 1);
            for (; sent < due; sent++)
            {
                inFlight.Add(SendAsync(gateways[sent % gateways.Count]));
            }

            await Task.Delay(2, CancellationToken.None);
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// <paramref name="concurrency"/> callers, each sending its next request when the last is answered,
    /// until <paramref name="stop"/>: the load follows what the machine can serve, so a slow shared
    /// machine makes it lighter instead of queueing requests into timeouts.
    /// </summary>
    public Task RunClosedLoopAsync(int concurrency, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, concurrency).Select(async caller =>
        {
            for (var i = caller; !stop.IsCancellationRequested; i += concurrency)
            {
                await SendAsync(gateways[i % gateways.Count]);
            }
        }));

    /// <summary>Sends <paramref name="requests"/> as fast as <paramref name="concurrency"/> callers can.</summary>
    public Task RunFlatOutAsync(int requests, int concurrency) =>
        Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) => await SendAsync(gateways[i % gateways.Count]));

    private async Task SendAsync(string gateway)
    {
        var sentAt = _clock.Elapsed;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway}/") { Headers = { Host = "catalog" } };
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var subset = response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("subset").GetString() : null;
            _outcomes.Add(new LoadOutcome(sentAt, _clock.Elapsed, (int)response.StatusCode, subset, response.IsSuccessStatusCode ? null : body));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            _outcomes.Add(new LoadOutcome(sentAt, _clock.Elapsed, 0, null, ex.Message));
        }
    }

    public void Dispose() => _http.Dispose();
}

using System.Diagnostics;

namespace MeshPortal.Samples.Shop;

/// <summary>
/// Calls <c>GET /</c> on frontend through the gateway at a steady rate for a bounded time, then stops the host.
/// Pacing follows a schedule (request k is due at k / rps seconds), so a slow tick is caught up instead of lost.
/// </summary>
public sealed partial class LoadGenerator(
    MeshClient mesh,
    ShopOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<LoadGenerator> logger) : BackgroundService
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);

    private long requests;
    private long nonSuccess;
    private long errors;
    private long inFlight;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(logger, options.Rps, options.Gateway, options.Duration.TotalSeconds);
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(1000 / options.Rps, 1, 50));
        using var timer = new PeriodicTimer(tick);
        var clock = Stopwatch.StartNew();
        var nextReport = ReportEvery;
        long sent = 0;
        var reported = new Counts(0, 0, 0);

        try
        {
            while (clock.Elapsed < options.Duration && await timer.WaitForNextTickAsync(stoppingToken))
            {
                var due = (long)(Math.Min(clock.Elapsed.TotalSeconds, options.Duration.TotalSeconds) * options.Rps);
                for (; sent < due; sent++)
                {
                    _ = SendOneAsync(stoppingToken);
                }
                if (clock.Elapsed >= nextReport)
                {
                    reported = Report(reported, clock.Elapsed);
                    nextReport += ReportEvery;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl-C or host shutdown: fall through to the final summary.
        }

        // Let requests in flight finish (each is bounded by the client's timeout).
        var drainUntil = clock.Elapsed + MeshClient.Timeout + TimeSpan.FromSeconds(1);
        while (Interlocked.Read(ref inFlight) > 0 && clock.Elapsed < drainUntil)
        {
            await Task.Delay(50, CancellationToken.None);
        }
        Report(reported, clock.Elapsed);
        LogFinished(logger, Interlocked.Read(ref requests), Interlocked.Read(ref nonSuccess), Interlocked.Read(ref errors));
        lifetime.StopApplication();
    }

    private async Task SendOneAsync(CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            var result = await mesh.GetRootAsync("frontend", stoppingToken);
            Interlocked.Increment(ref requests);
            if (result.Error is not null)
            {
                Interlocked.Increment(ref errors);
            }
            else if (!result.IsSuccess)
            {
                Interlocked.Increment(ref nonSuccess);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: a request cut short is not counted.
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private Counts Report(Counts previous, TimeSpan elapsed)
    {
        var now = new Counts(Interlocked.Read(ref requests), Interlocked.Read(ref nonSuccess), Interlocked.Read(ref errors));
        LogSummary(logger, elapsed.TotalSeconds, now.Requests - previous.Requests, now.NonSuccess - previous.NonSuccess,
            now.Errors - previous.Errors, now.Requests);
        return now;
    }

    private sealed record Counts(long Requests, long NonSuccess, long Errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "loadgen: {Rps} req/s to frontend via {Gateway} for at most {Seconds} s")]
    private static partial void LogStarting(ILogger logger, double rps, Uri gateway, double seconds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "loadgen t={Elapsed:0}s: requests={Requests} non2xx={NonSuccess} errors={Errors} (total requests={Total})")]
    private static partial void LogSummary(ILogger logger, double elapsed, long requests, long nonSuccess, long errors, long total);

    [LoggerMessage(Level = LogLevel.Information, Message = "loadgen done: requests={Requests} non2xx={NonSuccess} errors={Errors}")]
    private static partial void LogFinished(ILogger logger, long requests, long nonSuccess, long errors);
}

using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.Infra;

namespace MeshPortal.Bench.Runner.DataPlane;

/// <summary>
/// Medians of one target over the rounds; CPU is the proxy's own (its process tree), per 10,000
/// requests. The rate of every round is kept, so ratios can pair targets measured side by side, and
/// so are the latencies of every fixed-rate round, so added latency pairs each target with direct.
/// </summary>
internal sealed record DataPlaneFigure(
    string Name, double RequestsPerSecond, double P50Ms, double P99Ms, double? CpuSecondsPer10k, long Errors, IReadOnlyList<double> RoundRequestsPerSecond,
    IReadOnlyList<FixedRateResult> FixedRateRounds);

/// <summary>
/// wrk against every target in turn, round after round, so a slow patch of a noisy machine hits
/// every target alike instead of one of them; the medians over the rounds are reported.
/// </summary>
internal sealed class DataPlaneBench(Settings settings, string host, int backendPid, int portalPid)
{
    /// <summary>Where the fixed-rate rounds ran (see <see cref="CpuPinning"/>), for the report.</summary>
    public string Pinning { get; private set; } = "";

    public async Task<IReadOnlyList<DataPlaneFigure>> RunAsync(IReadOnlyList<Target> targets, CancellationToken ct)
    {
        var runs = targets.ToDictionary(t => t.Name, _ => new List<(WrkResult Wrk, double? Cpu)>());
        foreach (var target in targets)
        {
            await WrkResult.RunAsync(target.Url, host, settings.Connections, settings.InitialWarmupSeconds, ct);
        }

        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var target in targets)
            {
                if (settings.WarmupSeconds > 0)
                {
                    await WrkResult.RunAsync(target.Url, host, settings.Connections, settings.WarmupSeconds, ct);
                }

                var cpuBefore = target.Pid is { } pid ? ProcessCpu.Seconds(pid) : 0;
                var wrk = await WrkResult.RunAsync(target.Url, host, settings.Connections, settings.MeasureSeconds, ct);
                double? cpu = target.Pid is { } measured ? (ProcessCpu.Seconds(measured) - cpuBefore) / wrk.Requests * 10_000 : null;
                runs[target.Name].Add((wrk, cpu));
                Console.Error.WriteLine($"data plane round {round}: {target.Name,-10} {wrk.RequestsPerSecond,9:N0} req/s  p50 {wrk.P50Ms:0.00} ms  p99 {wrk.P99Ms:0.00} ms" +
                    (cpu is { } c ? $"  {c:0.000} CPU s/10k" : "") + (wrk.Errors > 0 ? $"  {wrk.Errors} errors" : ""));
            }
        }

        var fixedRate = targets.ToDictionary(t => t.Name, _ => new List<FixedRateResult>());
        using var pinning = CpuPinning.Apply([Environment.ProcessId, backendPid, .. targets.Select(t => t.Pid).OfType<int>()], [portalPid]);
        Pinning = pinning?.Description ?? "not pinned to cores (one core, or taskset failed)";
        Console.Error.WriteLine($"fixed rate: {Pinning}");

        // Unmeasured: the machine settles from wrk's saturation before the first (direct's) figure is taken.
        await FixedRate.RunAsync(targets[0].Url, host, settings.FixedRate, settings.FixedRateConnections, TimeSpan.FromSeconds(1), ct);
        for (var round = 1; round <= settings.FixedRateRounds; round++)
        {
            foreach (var target in targets)
            {
                var result = await FixedRate.RunAsync(target.Url, host, settings.FixedRate, settings.FixedRateConnections,
                    TimeSpan.FromSeconds(settings.FixedRateSeconds), ct);
                fixedRate[target.Name].Add(result);
                Console.Error.WriteLine($"fixed rate round {round}: {target.Name,-10} {settings.FixedRate} req/s  p50 {result.P50Ms:0.00} ms  p90 {result.P90Ms:0.00} ms  p99 {result.P99Ms:0.00} ms" +
                    (result.Errors > 0 ? $"  {result.Errors} errors" : ""));
            }
        }

        return [.. targets.Select(t =>
        {
            var r = runs[t.Name];
            return new DataPlaneFigure(t.Name,
                Stats.Median(r.Select(x => x.Wrk.RequestsPerSecond)),
                Stats.Median(r.Select(x => x.Wrk.P50Ms)),
                Stats.Median(r.Select(x => x.Wrk.P99Ms)),
                t.Pid is null ? null : Stats.Median(r.Select(x => x.Cpu!.Value)),
                r.Sum(x => x.Wrk.Errors),
                [.. r.Select(x => x.Wrk.RequestsPerSecond)],
                fixedRate[t.Name]);
        })];
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace MeshPortal.Bench.Runner.Report;

/// <summary>
/// bench/RESULTS.md: the table of the last full run with the date and the machine, then notes written
/// by hand (what the profile showed, what limits the missed targets), which a new run keeps.
/// </summary>
internal static class ResultsFile
{
    public const string NotesMarker = "<!-- Written by hand below this line; ./mesh bench keeps it when it rewrites the figures above. -->";

    public static async Task WriteAsync(string path, BenchResults results, Settings settings, TimeSpan elapsed)
    {
        var notes = File.Exists(path) && (await File.ReadAllTextAsync(path)) is var old && old.IndexOf(NotesMarker, StringComparison.Ordinal) is var at and >= 0
            ? old[at..]
            : $"{NotesMarker}\n\n## Notes\n\n(none yet)\n";
        var text = new StringBuilder();
        text.AppendLine("# Benchmark results");
        text.AppendLine();
        text.AppendLine($"`./mesh bench` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: {Machine()}; the whole run took {elapsed.TotalMinutes:0.0} min.");
        text.AppendLine($"All figures come from this one run. After {settings.InitialWarmupSeconds} s of warm-up each, the data-plane targets ran interleaved, one after another in " +
            $"{settings.Rounds} rounds ({settings.WarmupSeconds} s warm-up + {settings.MeasureSeconds} s of wrk, {settings.Connections} connections, " +
            $"{Environment.ProcessorCount} wrk threads, 1 KB answers); each figure is the median of the rounds, and each ratio the median of the per-round ratios. wrk, the backend and the proxy share the machine's cores.");
        text.AppendLine($"Added latency: after the wrk rounds, {settings.FixedRateRounds} rounds of {settings.FixedRateSeconds} s per target at a fixed {settings.FixedRate:N0} req/s " +
            $"over {settings.FixedRateConnections} keep-alive connections (open loop, each request timed from when it was due when the one before it held it back); " +
            $"each target's percentile minus direct's in the same round, the median over the rounds; {results.FixedRatePinning}.");
        text.AppendLine();
        text.Append(ResultsTable.Table(results, settings));
        text.AppendLine();
        text.AppendLine("```");
        foreach (var line in ResultsTable.ClosingLines(results, settings))
        {
            text.AppendLine(line);
        }

        text.AppendLine("```");
        text.AppendLine();
        if (settings.ExtraFiguresFile is { } extra && File.Exists(extra))
        {
            text.AppendLine("## Topology at 1,000 services and 3,000 edges of live traffic (Chromium)");
            text.AppendLine();
            text.AppendLine("From `e2e-tests/Scale/TopologyScaleTests.cs` in the same run: one portal, 1,000 services in 20 owners, telemetry from a real fleet connection.");
            text.AppendLine();
            text.AppendLine("```");
            text.Append(await File.ReadAllTextAsync(extra));
            text.AppendLine("```");
            text.AppendLine();
        }

        text.Append(notes);
        await File.WriteAllTextAsync(path, text.ToString());
    }

    private static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores ({model ?? RuntimeInformation.ProcessArchitecture.ToString()}), " +
            $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}

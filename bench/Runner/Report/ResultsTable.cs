using System.Globalization;
using System.Text;
using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.DataPlane;
using MeshPortal.Bench.Runner.Memory;

namespace MeshPortal.Bench.Runner.Report;

/// <summary>The one table of a run, its targets, and the closing lines scripts read.</summary>
internal static class ResultsTable
{
    public static string Table(BenchResults r, Settings s)
    {
        var rows = new List<string[]>();
        foreach (var f in r.DataPlane)
        {
            var detail = new List<string>();
            if (f.Name != Targets.Direct)
            {
                detail.Add($"{Ratio(r.Ratio(f.Name, Targets.Direct))} direct");
                detail.Add($"{Ratio(r.Ratio(f.Name, Targets.Nginx))} nginx");
            }

            detail.Add($"p50 {f.P50Ms:0.00} ms · p99 {f.P99Ms:0.00} ms");
            if (f.CpuSecondsPer10k is { } cpu)
            {
                detail.Add($"{cpu:0.000} CPU s / 10k req");
            }

            if (f.Errors > 0)
            {
                detail.Add($"{f.Errors} errors");
            }

            var target = f.Name == Targets.Gateway
                ? $"≥ 1.0× nginx: {Check(r.GatewayPerNginx >= 1.0)} ({Ratio(r.GatewayPerNginx)}, rounds {Range(r.RoundRatios(f.Name, Targets.Nginx))}) · " +
                  $"≥ 1.0× YARP: {Check(r.GatewayPerYarp >= 1.0)} ({Ratio(r.GatewayPerYarp)}, rounds {Range(r.RoundRatios(f.Name, Targets.PlainYarp))})"
                : "";
            rows.Add([$"1 data plane: {f.Name}", $"{f.RequestsPerSecond:N0} req/s", string.Join(" · ", detail), target]);
        }

        foreach (var f in r.DataPlane)
        {
            rows.Add(FixedRateRow(r, f, s));
        }

        rows.Add(Convergence($"2 convergence: {r.RealGateways.Gateways} real gateways", r.RealGateways, ""));
        rows.Add(Convergence($"2 convergence: {r.SimulatedGateways.Gateways} simulated gateways", r.SimulatedGateways,
            $"p99 ≤ 100 ms: {Check(r.SimulatedP99Ms <= 100)}"));
        rows.Add(Convergence($"2 convergence: {r.LargeFleet.Gateways} simulated gateways", r.LargeFleet,
            $"p99 ≤ 1 s: {Check(Stats.Percentile(r.LargeFleet.TotalMs, 99) <= 1000)}"));
        var snap = r.Snapshot;
        rows.Add([$"2 snapshot: {snap.Routes:N0} routes, {snap.Instances:N0} instances", $"{snap.JsonBytes / 1024.0:N0} KB",
            $"portal builds it in {snap.BuildMs:0} ms · gateway applies it in {snap.ApplyMs:0} ms · routed {snap.ServingMs:0} ms after the build", ""]);
        rows.Add([$"2 delta: one route changed at {snap.Routes:N0} routes", $"{snap.DeltaJsonBytes / 1024.0:N1} KB",
            $"portal computes it once for the fleet in {snap.DeltaComputeMs:0} ms · gateway applies it in {snap.DeltaApplyMs:0.0} ms (compose, hash, validate, swap) · routed {snap.DeltaServingMs:0.0} ms after arrival",
            $"≤ 10 KB: {Check(snap.DeltaJsonBytes <= 10 * 1024)} · apply ≤ 20 ms: {Check(snap.DeltaApplyMs <= 20)}"]);
        rows.Add([$"3 telemetry freshness ({r.FreshnessSeconds.Count} trials)",
            $"p50 {Stats.Percentile(r.FreshnessSeconds, 50):0.00} s · p95 {r.FreshnessP95Seconds:0.00} s",
            $"backend starts failing → /api/topology shows errors on its edge · max {r.FreshnessSeconds.Max():0.00} s",
            $"p95 ≤ 1 s: {Check(r.FreshnessP95Seconds <= 1)}"]);
        var mem = r.Memory;
        rows.Add([$"2 gateway memory: {mem.Routes:N0} routes written one by one", $"{mem.AfterMb:0} MB resident",
            $"{mem.BeforeMb:0} MB before · peak {mem.PeakMb:0} MB · {mem.Revisions:N0} revisions in {mem.LoadSeconds:0.0} s",
            mem.Routes >= 1000 ? $"≤ 200 MB: {Check(mem.AfterMb <= 200)}" : ""]);
        rows.Add([$"2 gateway memory: {mem.UnderLoadSeconds:0} s of traffic after it ({mem.UnderLoadRate:N0} req/s, sampled after {mem.SettleSeconds:0} s of settle)",
            $"{mem.UnderLoadMb.DefaultIfEmpty().Min():0}–{mem.UnderLoadMb.DefaultIfEmpty().Max():0} MB",
            $"samples {string.Join(", ", mem.UnderLoadMb.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))} MB · furthest {mem.DriftPercent:0.0} % from their median · {mem.UnderLoadErrors} failed requests",
            mem.Routes >= 1000 ? $"flat (± 10 %): {Check(mem.DriftPercent <= 10)}" : ""]);
        var st = r.Store;
        rows.Add([$"store: append ({s.StoreSamples} single events)", $"p50 {st.AppendP50Ms:0.0} ms · p99 {st.AppendP99Ms:0.0} ms", $"on a log of {st.Events:N0} events", ""]);
        rows.Add([$"store: rebuild from {st.Events:N0} events", $"{st.RebuildSeconds:0.00} s",
            $"median of 3 · first (cold JIT) {st.RebuildFirstSeconds:0.00} s · start-up with snapshots {st.StartupSeconds * 1000:0} ms",
            $"< 3 s: {Check(Math.Max(st.RebuildSeconds, st.RebuildFirstSeconds) < 3)}"]);
        rows.Add(["store: config at a revision", $"p50 {st.StateAtP50Ms:0.0} ms · p99 {st.StateAtP99Ms:0.0} ms", "nearest snapshot + replay, then config and hash", ""]);
        rows.Add(["store: one history page (50 events)", $"p50 {st.HistoryPageP50Ms:0.0} ms · p99 {st.HistoryPageP99Ms:0.0} ms",
            $"newest first from a random position; every 4th filtered by actor · first read of each kind (cold) up to {st.HistoryPageColdMs:0} ms",
            $"< 50 ms: {Check(st.HistoryPageP99Ms < 50)}"]);
        if (r.Portal is { } portal)
        {
            rows.AddRange(PortalReport.Rows(portal));
        }

        return Markdown(Header, rows);
    }

    public static IReadOnlyList<string> ClosingLines(BenchResults r, Settings s) =>
    [
        .. RatioLines(r.Data),
        .. ControlPlaneLines(new ControlPlaneFigures(r.SimulatedGateways, r.LargeFleet, r.Snapshot)),
        FreshnessLine(r.FreshnessSeconds),
        .. LatencyLines(r.Data, s),
        .. MemoryLines(r.Memory, s),
        .. r.HopLines,
        .. r.Portal is { } portal ? PortalReport.Lines(portal) : [],
    ];

    public static string FreshnessLine(IReadOnlyList<double> seconds) =>
        $"freshness p95: {Stats.Percentile(seconds, 95).ToString("0.00", CultureInfo.InvariantCulture)} s";

    /// <summary>The table of `bench/run --portal`.</summary>
    public static string PortalTable(PortalFigures p) => Markdown(Header, [.. PortalReport.Rows(p)]);

    /// <summary>What `bench/run --data-plane` prints: the ratios, then the fixed-rate latencies.</summary>
    public static IReadOnlyList<string> DataPlaneLines(DataPlaneResults d, Settings s) =>
    [
        .. RatioLines(d),
        .. LatencyLines(d, s),
        .. d.Figures.Where(f => f.CpuSecondsPer10k is not null).Select(f =>
            $"cpu per 10k requests ({f.Name}): {f.CpuSecondsPer10k!.Value.ToString("0.000", CultureInfo.InvariantCulture)} s"),
    ];

    private static IReadOnlyList<string> RatioLines(DataPlaneResults d) =>
    [
        $"gateway/nginx requests/s: {d.GatewayPerNginx.ToString("0.00", CultureInfo.InvariantCulture)}",
        $"gateway/yarp requests/s: {d.GatewayPerYarp.ToString("0.00", CultureInfo.InvariantCulture)}",
    ];

    private static IReadOnlyList<string> LatencyLines(DataPlaneResults d, Settings s) =>
    [
        .. Percentiles.Select(p => $"latency {p.Name} at {s.FixedRate} req/s ({Targets.Direct}): " +
            $"{Stats.Median(d.Figure(Targets.Direct).FixedRateRounds.Select(p.Of)).ToString("0.00", CultureInfo.InvariantCulture)} ms"),
        .. d.Figures.Where(f => f.Name != Targets.Direct).SelectMany(f => Percentiles.Select(p =>
            $"added latency {p.Name} at {s.FixedRate} req/s ({f.Name}): {d.AddedMs(f.Name, p.Of).ToString("0.00", CultureInfo.InvariantCulture)} ms")),
    ];

    public static IReadOnlyList<string> MemoryLines(GatewayMemoryResult m, Settings s) =>
    [
        $"gateway RSS after {m.Routes}-route load: {m.AfterMb.ToString("0", CultureInfo.InvariantCulture)} MB",
        $"gateway RSS drift over {m.UnderLoadSeconds:0} s of load at {m.UnderLoadRate} req/s: {m.DriftPercent.ToString("0.0", CultureInfo.InvariantCulture)} %",
        $"gateway RSS under load (samples): {string.Join(" ", m.UnderLoadMb.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))} MB",
    ];

    public static IReadOnlyList<string> ControlPlaneLines(ControlPlaneFigures f) =>
    [
        $"bytes to each gateway for a one-route change at {f.Snapshot.Routes} routes: {(f.Snapshot.DeltaJsonBytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KB",
        $"apply one-route change at {f.Snapshot.Routes} routes: {f.Snapshot.DeltaApplyMs.ToString("0.0", CultureInfo.InvariantCulture)} ms",
        $"convergence p99 ({f.SimulatedGateways.Gateways} gateways): {Stats.Percentile(f.SimulatedGateways.TotalMs, 99).ToString("0", CultureInfo.InvariantCulture)} ms",
        $"convergence p99 ({f.LargeFleet.Gateways} gateways): {Stats.Percentile(f.LargeFleet.TotalMs, 99).ToString("0", CultureInfo.InvariantCulture)} ms",
    ];

    private static readonly string[] Header = ["figure", "result", "detail", "target"];

    private static readonly (string Name, Func<FixedRateResult, double> Of)[] Percentiles =
        [("p50", x => x.P50Ms), ("p90", x => x.P90Ms), ("p99", x => x.P99Ms)];

    /// <summary>
    /// The fixed-rate row: direct's own latency, or what the proxy adds to it. The targets are gateway
    /// added p99 ≤ 1.0 ms and within 1.2× of nginx's added p99.
    /// </summary>
    private static string[] FixedRateRow(BenchResults r, DataPlaneFigure f, Settings s)
    {
        var name = $"1 latency at {s.FixedRate:N0} req/s: {f.Name}";
        var errors = f.FixedRateRounds.Sum(x => x.Errors) is var e and > 0 ? $" · {e} errors" : "";
        var measured = $"measured p50 {Stats.Median(f.FixedRateRounds.Select(x => x.P50Ms)):0.00} ms · p90 {Stats.Median(f.FixedRateRounds.Select(x => x.P90Ms)):0.00} ms · " +
            $"p99 {Stats.Median(f.FixedRateRounds.Select(x => x.P99Ms)):0.00} ms{errors}";
        if (f.Name == Targets.Direct)
        {
            return [name, "baseline", measured, ""];
        }

        var added = $"{r.AddedMs(f.Name, x => x.P50Ms):+0.00;-0.00} / {r.AddedMs(f.Name, x => x.P90Ms):+0.00;-0.00} / {r.AddedMs(f.Name, x => x.P99Ms):+0.00;-0.00} ms";
        var target = "";
        if (f.Name == Targets.Gateway)
        {
            var p99 = r.AddedMs(f.Name, x => x.P99Ms);
            var nginx = r.AddedMs(Targets.Nginx, x => x.P99Ms);
            target = $"added p99 ≤ 1.0 ms: {Check(p99 <= 1.0)} · ≤ 1.2× nginx's: {Check(p99 <= 1.2 * nginx)} ({p99 / nginx:0.00}×)";
        }

        return [name, added, $"added p50 / p90 / p99 over direct · {measured}", target];
    }

    private static string[] Convergence(string name, ConvergenceResult c, string target) =>
    [
        $"{name} ({c.Changes} changes, {c.Routes} routes)",
        $"p50 {Stats.Percentile(c.TotalMs, 50):0.0} ms · p99 {Stats.Percentile(c.TotalMs, 99):0.0} ms",
        $"commit → push p50 {Stats.Percentile(c.CommitToPushMs, 50):0.0} ms · head seen → last ACK (portal's figure) p99 {Stats.Percentile(c.PortalMs, 99):0.0} ms"
            + (c.LastAckSentMs.Count > 0 ? $" · commit → last ACK sent p99 {Stats.Percentile(c.LastAckSentMs, 99):0.0} ms" : "")
            + $" · CPU per change: portal {c.PortalCpuMsPerChange:0.0} ms"
            + (c.LastAckSentMs.Count > 0 ? $", simulated fleet {c.SimulatorCpuMsPerChange:0.0} ms" : ""),
        target,
    ];

    private static string Ratio(double value) => $"{value:0.00}×";

    private static string Range(IReadOnlyList<double> ratios) => $"{ratios.Min():0.00}–{ratios.Max():0.00}";

    private static string Check(bool met) => met ? "met" : "**missed**";

    private static string Markdown(string[] header, List<string[]> rows)
    {
        var text = new StringBuilder();
        text.AppendLine($"| {string.Join(" | ", header)} |");
        text.AppendLine($"|{string.Join("|", header.Select(_ => "---"))}|");
        foreach (var row in rows)
        {
            text.AppendLine($"| {string.Join(" | ", row)} |");
        }

        return text.ToString();
    }
}

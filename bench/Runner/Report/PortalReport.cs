using System.Globalization;
using MeshPortal.Bench.Common;

namespace MeshPortal.Bench.Runner.Report;

/// <summary>What `bench/run --portal` measures, on a portal of its own.</summary>
internal sealed record PortalFigures(RouteWriteResult Writes, TopologyResult Topology, WireFormatResult Wire)
{
    public double SmallWriteP50 => Stats.Median(Writes.SmallMs);
    public double LargeWriteP50 => Stats.Median(Writes.LargeMs);
    public double WriteRatio => LargeWriteP50 / SmallWriteP50;
}

/// <summary>The portal's rows of the table and its `name: value unit` lines.</summary>
internal static class PortalReport
{
    public static IEnumerable<string[]> Rows(PortalFigures p)
    {
        var w = p.Writes;
        var full = w.LargeRoutes >= 1000;
        yield return [$"portal: one route write at {w.LargeRoutes:N0} routes ({w.LargeMs.Count} writes)",
            $"p50 {p.LargeWriteP50:0.0} ms · p90 {Stats.Percentile(w.LargeMs, 90):0.0} ms",
            $"PUT /api/routes/{{id}} (a new split each time) · at {w.SmallRoutes} routes p50 {p.SmallWriteP50:0.0} ms · portal CPU per write " +
            $"{w.LargePortalCpuMs:0.0} ms at {w.LargeRoutes:N0}, {w.SmallPortalCpuMs:0.0} ms at {w.SmallRoutes}",
            full ? $"≤ 1.5× the {w.SmallRoutes}-route p50: {Check(p.WriteRatio <= 1.5)} ({p.WriteRatio:0.00}×)" : ""];
        var t = p.Topology;
        yield return [$"portal: GET /api/topology, {t.Services:N0} services, {t.Edges:N0} edges of live telemetry",
            $"median {Stats.Median(t.Ms):0.0} ms",
            $"{t.Ms.Count} reads, {t.Bytes / 1024.0:N0} KB · with Brotli median {Stats.Median(t.BrotliMs):0.0} ms, {t.BrotliBytes / 1024.0:N0} KB · " +
            $"portal CPU per read {t.PortalCpuMs:0.0} ms ({t.BrotliPortalCpuMs:0.0} ms with Brotli)",
            t.Edges >= 3000 ? $"≤ 30 ms: {Check(Stats.Median(t.Ms) <= 30)}" : ""];
        var x = p.Wire;
        yield return [$"fleet hub wire: snapshot of {x.Routes:N0} routes, {x.Instances:N0} instances",
            $"JSON {x.SnapshotJson.Bytes / 1024.0:N0} KB · MessagePack {x.SnapshotMessagePack.Bytes / 1024.0:N0} KB",
            $"write + parse CPU: JSON {x.SnapshotJson.CpuMs:0} ms, MessagePack {x.SnapshotMessagePack.CpuMs:0} ms · {RoundTrips(x.SnapshotMessagePack)}", ""];
        yield return ["fleet hub wire: one-route delta",
            $"JSON {x.DeltaJson.Bytes} B · MessagePack {x.DeltaMessagePack.Bytes} B",
            $"write + parse: JSON {x.DeltaJson.Ms * 1000:0} µs, MessagePack {x.DeltaMessagePack.Ms * 1000:0} µs · {RoundTrips(x.DeltaMessagePack)}", ""];
    }

    public static IReadOnlyList<string> Lines(PortalFigures p)
    {
        var w = p.Writes;
        var t = p.Topology;
        var x = p.Wire;
        return
        [
            Line($"route write p50 at {w.LargeRoutes} routes", p.LargeWriteP50, "0.0", "ms"),
            Line($"route write p50 at {w.SmallRoutes} routes", p.SmallWriteP50, "0.0", "ms"),
            Line($"route write p50 ratio {w.LargeRoutes}/{w.SmallRoutes} routes", p.WriteRatio, "0.00", "x"),
            Line($"portal CPU per route write at {w.LargeRoutes} routes", w.LargePortalCpuMs, "0.0", "ms"),
            Line($"/api/topology at {t.Edges} edges", Stats.Median(t.Ms), "0.0", "ms"),
            Line($"/api/topology at {t.Edges} edges (brotli)", Stats.Median(t.BrotliMs), "0.0", "ms"),
            Line($"/api/topology bytes at {t.Edges} edges", t.Bytes / 1024.0, "0", "KB"),
            Line($"/api/topology bytes at {t.Edges} edges (brotli)", t.BrotliBytes / 1024.0, "0", "KB"),
            Line($"snapshot bytes at {x.Routes} routes json", x.SnapshotJson.Bytes, "0", "B"),
            Line($"snapshot bytes at {x.Routes} routes msgpack", x.SnapshotMessagePack.Bytes, "0", "B"),
            Line("delta bytes json", x.DeltaJson.Bytes, "0", "B"),
            Line("delta bytes msgpack", x.DeltaMessagePack.Bytes, "0", "B"),
            Line($"snapshot serialise+deserialise CPU at {x.Routes} routes json", x.SnapshotJson.CpuMs, "0.0", "ms"),
            Line($"snapshot serialise+deserialise CPU at {x.Routes} routes msgpack", x.SnapshotMessagePack.CpuMs, "0.0", "ms"),
            Line("delta serialise+deserialise json", x.DeltaJson.Ms, "0.000", "ms"),
            Line("delta serialise+deserialise msgpack", x.DeltaMessagePack.Ms, "0.000", "ms"),
        ];
    }

    private static string RoundTrips(WireFigure f) =>
        f.RoundTrips ? "MessagePack round-trips (same hash)" : $"MessagePack does **not** round-trip: {f.Failure}";

    private static string Line(string name, double value, string format, string unit) =>
        $"{name}: {value.ToString(format, CultureInfo.InvariantCulture)} {unit}";

    private static string Check(bool met) => met ? "met" : "**missed**";
}

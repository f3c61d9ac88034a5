using MeshPortal.Shared.Fleet;

namespace MeshPortal.Portal.Telemetry;

/// <summary>
/// One edge's counts over the window, and over the last <see cref="TopologyBuilder.HealthSeconds"/> for its health.
/// The store's graph fills one instance edge after edge (<see cref="EdgeSeries.Totals"/>), so reading an edge allocates nothing.
/// </summary>
internal sealed class EdgeTotals
{
    public long FirstSecond { get; private set; } = long.MaxValue;
    public long[] Histogram { get; } = new long[LatencyBuckets.Count];
    public long Count { get; set; }
    public long Errors { get; set; }
    public long Denied { get; set; }
    public long RecentCount { get; set; }
    public long RecentErrors { get; set; }
    public bool HasRecent { get; set; }

    /// <summary>No response, or a 5xx: what the graph counts as failed (the gateway sends such a start at once).</summary>
    public static bool IsError(TelemetryRecord record) => TelemetryRecord.IsFailureClass(record.StatusClass);

    /// <summary>Empties the totals for the edge whose traffic began at <paramref name="firstSecond"/>.</summary>
    public EdgeTotals Reset(long firstSecond)
    {
        FirstSecond = firstSecond;
        Count = Errors = Denied = RecentCount = RecentErrors = 0;
        HasRecent = false;
        Array.Clear(Histogram);
        return this;
    }

    public void Add(long second, TelemetryRecord record, bool recent)
    {
        FirstSecond = Math.Min(FirstSecond, second);
        var failed = IsError(record) ? record.Count : 0;
        Count += record.Count;
        Errors += failed;
        Denied += record.Denied ? record.Count : 0;
        if (recent)
        {
            HasRecent = true;
            RecentCount += record.Count;
            RecentErrors += failed;
        }

        for (var i = 0; i < Math.Min(Histogram.Length, record.Latency.Count); i++)
        {
            Histogram[i] += record.Latency[i];
        }
    }

    /// <summary>
    /// Errors are judged on the recent seconds when there are any, else on the whole window. Rates are per
    /// second of the window the edge has existed in, so traffic that started ten seconds ago shows its real
    /// rate at once instead of a sixth of it in a one-minute window.
    /// </summary>
    public EdgeRow ToRow(string source, string service, string subset, DateTimeOffset at, int windowSeconds)
    {
        var spanSeconds = Math.Clamp(at.ToUnixTimeSeconds() - FirstSecond, 1, windowSeconds);
        var rps = (double)Count / spanSeconds;
        var (judged, failed) = HasRecent ? (RecentCount, RecentErrors) : (Count, Errors);
        var errorRate = judged > 0 ? (double)failed / judged : 0;
        return new EdgeRow(source, service, subset, Math.Round(rps, 2), errorRate,
            LatencyBuckets.Quantile(Histogram, 0.5), LatencyBuckets.Quantile(Histogram, 0.99), TopologyBuilder.HealthOf(errorRate, rps),
            Math.Round((double)Denied / spanSeconds, 2));
    }
}

/// <summary>An edge of the graph before its split share is known (<see cref="TopologyEdge"/> without <see cref="TopologyEdge.SplitPercent"/>).</summary>
internal readonly record struct EdgeRow(
    string Source, string Target, string Subset, double Rps, double ErrorRate, double P50, double P99, Health Health, double DeniedRps);

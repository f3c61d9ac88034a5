using System.Text.Json.Serialization;

namespace MeshPortal.Shared.Fleet;

/// <summary>One second of a gateway's traffic, sent to the portal.</summary>
public sealed record TelemetryBatch
{
    public required string Node { get; init; }
    public long UnixSecond { get; init; }
    public IReadOnlyList<TelemetryRecord> Records { get; init; } = [];

    /// <summary>Records the gateway dropped since its last batch (portal away, buffer full).</summary>
    public long Dropped { get; init; }
}

/// <summary>Traffic of one (source, route, service, subset, status class) in one second.</summary>
public sealed record TelemetryRecord
{
    public required string Source { get; init; }
    public required string Route { get; init; }
    public required string Service { get; init; }
    public required string Subset { get; init; }

    /// <summary>1..5 for 1xx..5xx; 0 when no response was received.</summary>
    public int StatusClass { get; init; }

    public long Count { get; init; }

    /// <summary>The service's access policy refused these calls (403 from the gateway, the service never called).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Denied { get; init; }

    /// <summary>Counts per bucket of <see cref="LatencyBuckets.UpperBoundsMs"/> (plus one overflow bucket).</summary>
    public IReadOnlyList<long> Latency { get; init; } = [];

    /// <summary>A 5xx, or no response at all: what the graph counts as an error.</summary>
    public static bool IsFailureClass(int statusClass) => statusClass is 5 or 0;
}

/// <summary>Fixed log-spaced latency buckets, identical on every gateway so histograms merge.</summary>
public static class LatencyBuckets
{
    public static IReadOnlyList<double> UpperBoundsMs { get; } =
        [0.5, 1, 2, 3, 5, 7.5, 10, 15, 25, 40, 60, 100, 150, 250, 400, 600, 1000, 1500, 2500, 5000, 10000];

    public static int Count => UpperBoundsMs.Count + 1;

    public static int IndexOf(double milliseconds)
    {
        for (var i = 0; i < UpperBoundsMs.Count; i++)
        {
            if (milliseconds <= UpperBoundsMs[i])
            {
                return i;
            }
        }

        return UpperBoundsMs.Count;
    }

    /// <summary>Estimates a quantile (0..1) as the upper bound of the bucket that holds it.</summary>
    public static double Quantile(ReadOnlySpan<long> counts, double q)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = q * total;
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return i < UpperBoundsMs.Count ? UpperBoundsMs[i] : UpperBoundsMs[^1] * 2;
            }
        }

        return UpperBoundsMs[^1] * 2;
    }
}

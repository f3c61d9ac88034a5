namespace MeshPortal.Shared.Fleet;

/// <summary>The shape of a batch a real gateway can send; anything beyond it is refused whole.</summary>
public static class TelemetryLimits
{
    /// <summary>A gateway keeps at most this many (source, route, service, subset, status) keys per second.</summary>
    public const int MaxRecordsPerBatch = 5_000;

    /// <summary>Sources come from a header the gateway takes up to 63 characters of; names are DNS labels.</summary>
    public const int MaxNameLength = 63;

    /// <summary>Why <paramref name="batch"/> cannot come from a real gateway, or null when it can.</summary>
    public static string? Problem(TelemetryBatch batch)
    {
        if (batch.Records.Count > MaxRecordsPerBatch)
        {
            return $"{batch.Records.Count} records (at most {MaxRecordsPerBatch})";
        }

        if (batch.Dropped < 0)
        {
            return "negative dropped count";
        }

        foreach (var r in batch.Records)
        {
            if (r is null || !IsName(r.Source) || !IsName(r.Route) || !IsName(r.Service) || !IsName(r.Subset))
            {
                return "a record without source, route, service or subset, or with one over 63 characters";
            }

            if (r.StatusClass is < 0 or > 9 || r.Count < 0 || r.Latency.Count != LatencyBuckets.Count || r.Latency.Any(c => c < 0))
            {
                return $"a record with a status class outside 0..9, a negative count or not {LatencyBuckets.Count} latency buckets";
            }
        }

        return null;
    }

    private static bool IsName(string? value) => value is { Length: > 0 and <= MaxNameLength };
}

using System.Collections.Concurrent;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Telemetry;

/// <summary>
/// One window of traffic (a second, or less when an edge starts failing) per (source, route, service, subset, status class, denied). Bounded in keys, since
/// the source comes from a header any caller can set.
/// </summary>
internal sealed class TrafficWindow(long unixSecond, int maxKeys)
{
    private readonly ConcurrentDictionary<TrafficKey, TrafficCell> _cells = new();
    private int _keys;
    private long _dropped;

    public long UnixSecond { get; } = unixSecond;

    /// <summary>Requests not recorded because the window was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Counts one request; true when it was the first of its key in this window.</summary>
    public bool Record(in TrafficKey key, double milliseconds)
    {
        var added = false;
        if (!_cells.TryGetValue(key, out var cell))
        {
            if (Interlocked.Increment(ref _keys) > maxKeys)
            {
                Interlocked.Decrement(ref _keys);
                Interlocked.Increment(ref _dropped);
                return false;
            }

            var fresh = new TrafficCell();
            cell = _cells.GetOrAdd(key, fresh);
            added = ReferenceEquals(cell, fresh);
        }

        cell.Record(milliseconds);
        return added;
    }

    public bool Has(in TrafficKey key) => _cells.ContainsKey(key);

    public IReadOnlyList<TelemetryRecord> ToRecords() =>
    [
        .. _cells.Select(c => new TelemetryRecord
        {
            Source = c.Key.Source,
            Route = c.Key.Route,
            Service = c.Key.Service,
            Subset = c.Key.Subset,
            StatusClass = c.Key.StatusClass,
            Denied = c.Key.Denied,
            Count = c.Value.Count,
            Latency = c.Value.Latency,
        }),
    ];

    private sealed class TrafficCell
    {
        private readonly long[] _latency = new long[LatencyBuckets.Count];
        private long _count;

        public long Count => Volatile.Read(ref _count);

        public long[] Latency => [.. _latency.Select((_, i) => Volatile.Read(ref _latency[i]))];

        public void Record(double milliseconds)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Increment(ref _latency[LatencyBuckets.IndexOf(milliseconds)]);
        }
    }
}

internal readonly record struct TrafficKey(string Source, string Route, string Service, string Subset, int StatusClass, bool Denied = false)
{
    public bool IsFailure => TelemetryRecord.IsFailureClass(StatusClass);
}

using MeshPortal.Shared.Fleet;

namespace MeshPortal.Portal.Telemetry;

/// <summary>
/// One edge's traffic in the telemetry store as running totals: one entry per second it had traffic,
/// sorted by second, each holding the totals of every second up to and including its own. The sums over
/// any window are then the last entry's totals minus those of the entry before the window, found by a
/// binary search: reading the graph costs a few steps per edge, not a pass over every record kept.
/// </summary>
/// <remarks>
/// Records leave in the order the store took them (<see cref="Remove"/>), nearly always from the first
/// entry: what left is added to <see cref="_removed"/> rather than taken from every later entry.
/// </remarks>
internal sealed class EdgeSeries
{
    // Totals layout: count, errors, denied, then the latency histogram.
    private const int CountAt = 0;
    private const int ErrorsAt = 1;
    private const int DeniedAt = 2;
    private const int HistogramAt = 3;
    private static readonly int Width = HistogramAt + LatencyBuckets.Count;

    private readonly List<Entry> _entries = [];

    /// <summary>The totals of everything that left before the first entry's second, and of what left of the first entry.</summary>
    private readonly long[] _removed = new long[Width];

    public bool IsEmpty => _entries.Count == 0;

    public void Add(long second, TelemetryRecord record)
    {
        var at = _entries.Count - 1;
        while (at >= 0 && _entries[at].Second > second)
        {
            at--;
        }

        if (at < 0 || _entries[at].Second != second)
        {
            // A new second, nearly always the newest: it starts from the totals before it.
            _entries.Insert(++at, new Entry(second, [.. at > 0 ? _entries[at - 1].Totals : _removed]));
        }

        _entries[at].Records++;
        for (var i = at; i < _entries.Count; i++)
        {
            Fold(_entries[i].Totals, record, +1);
        }
    }

    /// <summary>Takes a record that <see cref="Add"/> folded in back out.</summary>
    public void Remove(long second, TelemetryRecord record)
    {
        var at = _entries.FindIndex(e => e.Second == second);
        if (at < 0)
        {
            return;
        }

        if (at == 0)
        {
            Fold(_removed, record, +1);
        }
        else
        {
            // A record of an earlier second that arrived late and left early: rare, so the later totals are mended.
            for (var i = at; i < _entries.Count; i++)
            {
                Fold(_entries[i].Totals, record, -1);
            }
        }

        if (--_entries[at].Records == 0)
        {
            _entries.RemoveAt(at);
        }
    }

    /// <summary>The sums from second <paramref name="from"/> on, and from after <paramref name="recentAfter"/>; null when the edge had no traffic in the window.</summary>
    public EdgeTotals? Totals(long from, long recentAfter)
    {
        var first = FirstAtOrAfter(from);
        if (first == _entries.Count)
        {
            return null;
        }

        var last = _entries[^1].Totals;
        var before = Before(first);
        var recent = Math.Max(first, FirstAtOrAfter(recentAfter + 1));
        var beforeRecent = Before(recent);
        var totals = new EdgeTotals(_entries[first].Second)
        {
            Count = last[CountAt] - before[CountAt],
            Errors = last[ErrorsAt] - before[ErrorsAt],
            Denied = last[DeniedAt] - before[DeniedAt],
            HasRecent = recent < _entries.Count,
            RecentCount = last[CountAt] - beforeRecent[CountAt],
            RecentErrors = last[ErrorsAt] - beforeRecent[ErrorsAt],
        };
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            totals.Histogram[i] = last[HistogramAt + i] - before[HistogramAt + i];
        }

        return totals;
    }

    private long[] Before(int index) => index == 0 ? _removed : _entries[index - 1].Totals;

    private int FirstAtOrAfter(long second)
    {
        int low = 0, high = _entries.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_entries[middle].Second < second)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static void Fold(long[] totals, TelemetryRecord record, int sign)
    {
        totals[CountAt] += sign * record.Count;
        totals[ErrorsAt] += sign * (EdgeTotals.IsError(record) ? record.Count : 0);
        totals[DeniedAt] += sign * (record.Denied ? record.Count : 0);
        var buckets = Math.Min(LatencyBuckets.Count, record.Latency.Count);
        for (var i = 0; i < buckets; i++)
        {
            totals[HistogramAt + i] += sign * record.Latency[i];
        }
    }

    private sealed class Entry(long second, long[] totals)
    {
        public long Second { get; } = second;
        public long[] Totals { get; } = totals;

        /// <summary>Records of this second still in the store.</summary>
        public int Records { get; set; }
    }
}

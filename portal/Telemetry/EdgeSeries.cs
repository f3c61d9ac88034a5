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
/// entry: what left is added to <see cref="_removed"/> rather than taken from every later entry. Memory per edge is
/// kept small: an edge of a single record keeps that record instead of totals (<see cref="Entry.Only"/>), and
/// the totals of removals are made on the first removal.
/// </remarks>
internal sealed class EdgeSeries
{
    // Totals layout: count, errors, denied, then the latency histogram.
    private const int CountAt = 0;
    private const int ErrorsAt = 1;
    private const int DeniedAt = 2;
    private const int HistogramAt = 3;
    private static readonly int Width = HistogramAt + LatencyBuckets.Count;

    /// <summary>All zeros: the totals before anything left.</summary>
    private static readonly long[] Nothing = new long[Width];

    // Sized by hand from one entry up: most edges of a flood of new sources have a single second.
    private Entry[] _entries = new Entry[1];
    private int _count;

    /// <summary>The totals of everything that left before the first entry's second, and of what left of the first entry; made on the first removal.</summary>
    private long[]? _removed;

    public bool IsEmpty => _count == 0;

    public void Add(long second, TelemetryRecord record)
    {
        if (_count == 0 && _removed is null)
        {
            Insert(0, new Entry { Second = second, Records = 1, Only = record });
            return;
        }

        Materialize();
        var at = _count - 1;
        while (at >= 0 && _entries[at].Second > second)
        {
            at--;
        }

        if (at < 0 || _entries[at].Second != second)
        {
            // A new second, nearly always the newest: it starts from the totals before it.
            at++;
            Insert(at, new Entry { Second = second, Totals = [.. Before(at)] });
        }

        _entries[at].Records++;
        for (var i = at; i < _count; i++)
        {
            Fold(_entries[i].Totals, record, +1);
        }
    }

    /// <summary>Takes a record that <see cref="Add"/> folded in back out.</summary>
    public void Remove(long second, TelemetryRecord record)
    {
        var at = 0;
        while (at < _count && _entries[at].Second != second)
        {
            at++;
        }

        if (at == _count)
        {
            return;
        }

        if (_entries[0].Only is not null)
        {
            // The one record of the one entry.
            _entries[--_count] = default;
            return;
        }

        if (at == 0)
        {
            Fold(_removed ??= new long[Width], record, +1);
        }
        else
        {
            // A record of an earlier second that arrived late and left early: rare, so the later totals are mended.
            for (var i = at; i < _count; i++)
            {
                Fold(_entries[i].Totals, record, -1);
            }
        }

        if (--_entries[at].Records == 0)
        {
            Array.Copy(_entries, at + 1, _entries, at, _count - at - 1);
            _entries[--_count] = default;
        }
    }

    /// <summary>
    /// The sums from second <paramref name="from"/> on, and from after <paramref name="recentAfter"/>, written over
    /// <paramref name="into"/>; false, leaving it as it was, when the edge had no traffic in the window.
    /// </summary>
    public bool Totals(long from, long recentAfter, EdgeTotals into)
    {
        var first = FirstAtOrAfter(from);
        if (first == _count)
        {
            return false;
        }

        if (_entries[0].Only is { } only)
        {
            into.Reset(_entries[0].Second).Add(_entries[0].Second, only, _entries[0].Second > recentAfter);
            return true;
        }

        var last = _entries[_count - 1].Totals;
        var before = Before(first);
        var recent = Math.Max(first, FirstAtOrAfter(recentAfter + 1));
        var beforeRecent = Before(recent);
        into.Reset(_entries[first].Second);
        into.Count = last[CountAt] - before[CountAt];
        into.Errors = last[ErrorsAt] - before[ErrorsAt];
        into.Denied = last[DeniedAt] - before[DeniedAt];
        into.HasRecent = recent < _count;
        into.RecentCount = last[CountAt] - beforeRecent[CountAt];
        into.RecentErrors = last[ErrorsAt] - beforeRecent[ErrorsAt];
        var histogram = into.Histogram;
        for (var i = 0; i < histogram.Length; i++)
        {
            histogram[i] = last[HistogramAt + i] - before[HistogramAt + i];
        }

        return true;
    }

    private long[] Before(int index) => index == 0 ? _removed ?? Nothing : _entries[index - 1].Totals;

    /// <summary>Gives the single-record first entry its array of totals, before a second record or entry joins it.</summary>
    private void Materialize()
    {
        if (_entries[0].Only is { } only)
        {
            _entries[0].Totals = new long[Width];
            Fold(_entries[0].Totals, only, +1);
            _entries[0].Only = null;
        }
    }

    private void Insert(int at, Entry entry)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        Array.Copy(_entries, at, _entries, at + 1, _count - at);
        _entries[at] = entry;
        _count++;
    }

    private int FirstAtOrAfter(long second)
    {
        int low = 0, high = _count;
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

    private struct Entry
    {
        public long Second;

        /// <summary>Null only while <see cref="Only"/> holds the edge's one record (see <see cref="Materialize"/>).</summary>
        public long[] Totals;

        /// <summary>
        /// The record of an edge that has one entry of one record and has lost none: most of a flood of new
        /// sources, which then costs no array of totals per record.
        /// </summary>
        public TelemetryRecord? Only;

        /// <summary>Records of this second still in the store.</summary>
        public int Records;
    }
}

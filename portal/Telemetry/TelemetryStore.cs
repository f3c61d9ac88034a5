using System.Buffers;
using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Live;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Telemetry;

/// <summary>
/// The last 15 minutes of the fleet's per-second traffic, merged across gateways. Bounded by time
/// (older seconds are pruned as new batches arrive; batches from the future or the far past are
/// refused, so nothing can outlive the retention) and by count (the oldest records go first).
/// Each record is also folded into its edge's running totals (<see cref="EdgeSeries"/>) as it comes
/// and taken out as it goes, so the graph is read from one entry per edge instead of every record.
/// </summary>
public sealed class TelemetryStore(TimeProvider time, IOptions<FleetOptions> options)
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(15);
    private readonly Lock _gate = new();
    private readonly Queue<(long Second, TelemetryRecord Record)> _records = new();
    private readonly Dictionary<(string Source, string Service, string Subset), EdgeSeries> _edges = [];

    public Subscribers Subscribers { get; } = new(time);

    public long DroppedByGateways { get; private set; }

    /// <summary>False, keeping nothing, when the batch is dated outside the accepted window.</summary>
    public bool Add(TelemetryBatch batch)
    {
        var now = time.GetUtcNow();
        if (batch.UnixSecond > (now + options.Value.TelemetryMaxFuture).ToUnixTimeSeconds()
            || batch.UnixSecond < (now - options.Value.TelemetryMaxAge).ToUnixTimeSeconds())
        {
            return false;
        }

        var oldest = now.ToUnixTimeSeconds() - (long)Retention.TotalSeconds;
        lock (_gate)
        {
            DroppedByGateways = batch.Dropped > long.MaxValue - DroppedByGateways ? long.MaxValue : DroppedByGateways + batch.Dropped;
            foreach (var received in batch.Records)
            {
                // Kept with its histogram in an array of its own size: the list the hub read it into has room
                // for 32 buckets, a third more than the edge index below costs per record.
                var record = received.Latency is long[] ? received : received with { Latency = received.Latency.ToArray() };
                _records.Enqueue((batch.UnixSecond, record));
                var key = (record.Source, record.Service, record.Subset);
                if (!_edges.TryGetValue(key, out var series))
                {
                    _edges[key] = series = new EdgeSeries();
                }

                series.Add(batch.UnixSecond, record);
            }

            while (_records.Count > 0 && (_records.Peek().Second < oldest || _records.Count > options.Value.TelemetryMaxRecords))
            {
                var (second, record) = _records.Dequeue();
                var key = (record.Source, record.Service, record.Subset);
                var series = _edges[key];
                series.Remove(second, record);
                if (series.IsEmpty)
                {
                    _edges.Remove(key);
                }
            }
        }

        Subscribers.Notify();
        return true;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    public TopologyGraph Graph(Shared.Config.MeshConfig config, int windowSeconds)
    {
        var at = time.GetUtcNow();
        var from = at.ToUnixTimeSeconds() - windowSeconds;
        var recentAfter = at.ToUnixTimeSeconds() - TopologyBuilder.HealthSeconds;
        var totals = new EdgeTotals();
        EdgeRow[] rows;
        var count = 0;
        lock (_gate)
        {
            // Pooled: at 3,000 edges the rows would be a large-object-heap array on every read.
            rows = ArrayPool<EdgeRow>.Shared.Rent(_edges.Count);
            foreach (var (key, series) in _edges)
            {
                if (series.Totals(from, recentAfter, totals))
                {
                    rows[count++] = totals.ToRow(key.Source, key.Service, key.Subset, at, windowSeconds);
                }
            }
        }

        try
        {
            return TopologyBuilder.Build(config, rows.AsSpan(0, count), windowSeconds, at);
        }
        finally
        {
            ArrayPool<EdgeRow>.Shared.Return(rows, clearArray: true);
        }
    }

    /// <summary>Per-route traffic of the last <paramref name="windowSeconds"/>, most errors first.</summary>
    public IReadOnlyList<RouteTraffic> RouteTraffic(int windowSeconds)
    {
        var records = Since(TimeSpan.FromSeconds(windowSeconds));
        var span = records.Count == 0 ? 1 : Math.Clamp(time.GetUtcNow().ToUnixTimeSeconds() - records.Min(r => r.Second), 1, windowSeconds);
        return [.. records.GroupBy(r => r.Record.Route).Select(g =>
            {
                var count = g.Sum(r => r.Record.Count);
                var errors = g.Where(r => EdgeTotals.IsError(r.Record)).Sum(r => r.Record.Count);
                return new RouteTraffic(g.Key, Math.Round((double)count / span, 2), count == 0 ? 0 : (double)errors / count, errors);
            })
            .OrderByDescending(r => r.ErrorRate).ThenByDescending(r => r.Rps)];
    }

    /// <summary>Records of the last <paramref name="window"/>, oldest first.</summary>
    public IReadOnlyList<(long Second, TelemetryRecord Record)> Since(TimeSpan window)
    {
        var from = time.GetUtcNow().ToUnixTimeSeconds() - (long)window.TotalSeconds;
        lock (_gate)
        {
            return [.. _records.Where(r => r.Second >= from)];
        }
    }
}

public sealed record RouteTraffic(string Route, double Rps, double ErrorRate, long Errors);

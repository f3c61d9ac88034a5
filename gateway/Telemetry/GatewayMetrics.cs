using System.Collections.Concurrent;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Telemetry;

/// <summary>Cumulative counters of the gateway, read by the Prometheus endpoint.</summary>
internal sealed class GatewayMetrics
{
    private readonly ConcurrentDictionary<RequestKey, RequestStats> _requests = new();
    private readonly ConcurrentDictionary<string, RoutePolicyCounters> _policies = new(StringComparer.Ordinal);
    private long _configApplies;
    private long _configApplyFailures;
    private long _deltasComposed;
    private long _snapshotRequests;
    private long _lastKnownGoodWriteFailures;
    private long _unroutedRequests;
    private long _telemetryDropped;
    private long _fleetConnects;
    private int _fleetConnected;

    public long ConfigApplies => Volatile.Read(ref _configApplies);

    public long ConfigApplyFailures => Volatile.Read(ref _configApplyFailures);

    public long DeltasComposed => Volatile.Read(ref _deltasComposed);

    public long SnapshotRequests => Volatile.Read(ref _snapshotRequests);

    public long LastKnownGoodWriteFailures => Volatile.Read(ref _lastKnownGoodWriteFailures);

    public long UnroutedRequests => Volatile.Read(ref _unroutedRequests);

    public long TelemetryDropped => Volatile.Read(ref _telemetryDropped);

    public long FleetConnects => Volatile.Read(ref _fleetConnects);

    public bool FleetConnected => Volatile.Read(ref _fleetConnected) == 1;

    public IEnumerable<KeyValuePair<RequestKey, RequestStats>> Requests => _requests;

    public IEnumerable<KeyValuePair<string, RoutePolicyCounters>> Policies => _policies;

    /// <summary>The counters of <paramref name="route"/>; taken when a config is applied, never per request.</summary>
    public RoutePolicyCounters PolicyCounters(string route) => _policies.GetOrAdd(route, static _ => new RoutePolicyCounters());

    public void ConfigApplied() => Interlocked.Increment(ref _configApplies);

    public void DeltaComposed() => Interlocked.Increment(ref _deltasComposed);

    public void SnapshotRequested() => Interlocked.Increment(ref _snapshotRequests);

    public void ConfigApplyFailed() => Interlocked.Increment(ref _configApplyFailures);

    public void LastKnownGoodWriteFailed() => Interlocked.Increment(ref _lastKnownGoodWriteFailures);

    public void TelemetryRecordsDropped(long records) => Interlocked.Add(ref _telemetryDropped, records);

    public void SetFleetConnected(bool connected)
    {
        if (Interlocked.Exchange(ref _fleetConnected, connected ? 1 : 0) == 0 && connected)
        {
            Interlocked.Increment(ref _fleetConnects);
        }
    }

    public void RecordUnrouted() => Interlocked.Increment(ref _unroutedRequests);

    public void RecordRequest(string route, string service, string subset, int statusCode, double milliseconds) =>
        _requests.GetOrAdd(new RequestKey(route, service, subset), static _ => new RequestStats())
            .Record(statusCode / 100, milliseconds);
}

internal readonly record struct RequestKey(string Route, string Service, string Subset);

/// <summary>Requests of one (route, service, subset): counts per status class and a latency histogram.</summary>
internal sealed class RequestStats
{
    private readonly long[] _byStatusClass = new long[6];
    private readonly long[] _latencyBuckets = new long[LatencyBuckets.Count];
    private long _latencySumMicroseconds;

    /// <summary>Count of requests with status class <paramref name="statusClass"/> (1..5 for 1xx..5xx).</summary>
    public long CountOf(int statusClass) => Volatile.Read(ref _byStatusClass[statusClass]);

    public long LatencyBucket(int index) => Volatile.Read(ref _latencyBuckets[index]);

    public double LatencySumSeconds => Volatile.Read(ref _latencySumMicroseconds) / 1e6;

    public void Record(int statusClass, double milliseconds)
    {
        Interlocked.Increment(ref _byStatusClass[Math.Clamp(statusClass, 0, 5)]);
        Interlocked.Increment(ref _latencyBuckets[LatencyBuckets.IndexOf(milliseconds)]);
        Interlocked.Add(ref _latencySumMicroseconds, (long)(milliseconds * 1000));
    }
}

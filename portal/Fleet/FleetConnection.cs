namespace MeshPortal.Portal.Fleet;

/// <summary>One gateway's hub connection: its token, its node, and the means to end it.</summary>
public sealed class FleetConnection(string connectionId, string tokenId, string node, Action abort, TelemetryGate telemetry)
{
    private int _revoked;
    private int _warned;
    private long _lastCertificate = long.MinValue;
    private readonly Lock _snapshotGate = new();
    private long _nextSnapshot = long.MinValue;

    public string ConnectionId { get; } = connectionId;
    public string TokenId { get; } = tokenId;
    public string Node { get; } = node;
    public TelemetryGate Telemetry { get; } = telemetry;

    public bool IsRevoked => Volatile.Read(ref _revoked) == 1;

    /// <summary>Marks the connection revoked, so every later message is refused, and closes it.</summary>
    public void Revoke()
    {
        Volatile.Write(ref _revoked, 1);
        abort();
    }

    /// <summary>True when the connection's last certificate request was at least <paramref name="interval"/> ago (or there was none).</summary>
    public bool TryTakeCertificateTurn(TimeProvider time, TimeSpan interval)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastCertificate);
        return (last == long.MinValue || time.GetElapsedTime(last, now) >= interval)
            && Interlocked.CompareExchange(ref _lastCertificate, now, last) == last;
    }

    /// <summary>
    /// Reserves the connection's next whole snapshot: how long it must wait so that its snapshots go out
    /// at least <paramref name="interval"/> apart. A whole snapshot at 1,000 routes is hundreds of KB
    /// against a few bytes asked, so a gateway that asks in a loop is paced instead of amplified.
    /// </summary>
    public TimeSpan ReserveSnapshot(TimeProvider time, TimeSpan interval)
    {
        lock (_snapshotGate)
        {
            var now = time.GetTimestamp();
            var at = _nextSnapshot == long.MinValue || _nextSnapshot <= now ? now : _nextSnapshot;
            _nextSnapshot = at + (long)(interval.TotalSeconds * time.TimestampFrequency);
            return time.GetElapsedTime(now, at);
        }
    }

    /// <summary>Closes the connection without judging it: the gateway reconnects, to another replica if it knows one.</summary>
    public void End() => abort();

    /// <summary>True the first time only: a refusal is logged once per connection and reason, not per message.</summary>
    public bool FirstWarning(FleetRefusal reason)
    {
        var bit = 1 << (int)reason;
        return (Interlocked.Or(ref _warned, bit) & bit) == 0;
    }
}

/// <summary>Why the hub did not take a gateway's message.</summary>
public enum FleetRefusal
{
    TokenRevoked,
    BeforeHello,
    OtherNode,
    UnknownRevision,
    MalformedTelemetry,
    TelemetryOutOfWindow,
    TelemetryRateExceeded,
}

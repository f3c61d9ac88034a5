using MeshPortal.Portal.Live;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Sync state of the fleet as this replica sees it. States are derived when read, against the
/// head revision and the clock, so STALE appears without any message arriving.
/// </summary>
public sealed class GatewayRegistry(TimeProvider time)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(5);
    private const int KeptConvergences = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byGateway = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _gatewayByConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<long, DateTimeOffset> _headSeenAt = [];
    private readonly LinkedList<RevisionConvergence> _convergences = new();
    private long _head;

    public Subscribers Subscribers { get; } = new(time);

    private sealed class Entry
    {
        public required GatewayStatus Status;
        public string? ConnectionId;
    }

    public void HeadChanged(long revision)
    {
        lock (_gate)
        {
            _head = revision;
            _headSeenAt.TryAdd(revision, time.GetUtcNow());
            foreach (var old in _headSeenAt.Keys.Where(r => r < revision - KeptConvergences).ToList())
            {
                _headSeenAt.Remove(old);
            }
        }

        Subscribers.Notify();
    }

    public void Connected(string connectionId, GatewayHello hello)
    {
        lock (_gate)
        {
            _byGateway[hello.GatewayId] = new Entry
            {
                ConnectionId = connectionId,
                Status = new GatewayStatus
                {
                    Node = hello.Node,
                    GatewayId = hello.GatewayId,
                    Version = hello.Version,
                    AppliedRevision = hello.AppliedRevision,
                    AppliedHash = hello.AppliedHash,
                    LastSeen = time.GetUtcNow(),
                },
            };
            _gatewayByConnection[connectionId] = hello.GatewayId;
        }

        Subscribers.Notify();
    }

    public void Acked(string connectionId, long revision, string hash) => Update(connectionId, (s, now) =>
    {
        var convergence = _headSeenAt.TryGetValue(revision, out var seen) ? (now - seen).TotalMilliseconds : s.ConvergenceMs;
        return s with { AppliedRevision = revision, AppliedHash = hash, LastSeen = now, ConvergenceMs = convergence };
    }, revision);

    public void Nacked(string connectionId, long revision, string error) =>
        Update(connectionId, (s, now) => s with { LastNackRevision = revision, LastError = error, LastSeen = now }, null);

    public void Seen(string connectionId) => Update(connectionId, (s, now) => s with { LastSeen = now }, null);

    public void Disconnected(string connectionId)
    {
        lock (_gate)
        {
            if (_gatewayByConnection.Remove(connectionId, out var id) && _byGateway.TryGetValue(id, out var entry) && entry.ConnectionId == connectionId)
            {
                entry.ConnectionId = null;
                entry.Status = entry.Status with { LastSeen = time.GetUtcNow() };
            }
        }

        Subscribers.Notify();
    }

    public IReadOnlyList<GatewayStatus> List()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return [.. _byGateway.Values.Select(e => e.Status with { State = StateOf(e, now) }).OrderBy(s => s.Node).ThenBy(s => s.GatewayId)];
        }
    }

    public IReadOnlyList<RevisionConvergence> Convergences()
    {
        lock (_gate)
        {
            return [.. _convergences];
        }
    }

    private GatewaySyncState StateOf(Entry e, DateTimeOffset now)
    {
        var s = e.Status;
        if (e.ConnectionId is null)
        {
            return GatewaySyncState.Disconnected;
        }

        if (s.LastNackRevision is { } nacked && nacked > s.AppliedRevision)
        {
            return GatewaySyncState.Nacked;
        }

        if (s.AppliedRevision >= _head)
        {
            return GatewaySyncState.Synced;
        }

        // Behind: stale once the oldest revision it lacks has been head for longer than StaleAfter.
        var behindSince = _headSeenAt.Where(kv => kv.Key > s.AppliedRevision).Select(kv => kv.Value).DefaultIfEmpty(now).Min();
        return now - behindSince > StaleAfter ? GatewaySyncState.Stale : GatewaySyncState.Applying;
    }

    private void Update(string connectionId, Func<GatewayStatus, DateTimeOffset, GatewayStatus> change, long? ackedRevision)
    {
        lock (_gate)
        {
            if (!_gatewayByConnection.TryGetValue(connectionId, out var id) || !_byGateway.TryGetValue(id, out var entry))
            {
                return;
            }

            var now = time.GetUtcNow();
            entry.Status = change(entry.Status, now);
            if (ackedRevision is { } revision)
            {
                RecordConvergence(revision, now);
            }
        }

        Subscribers.Notify();
    }

    /// <summary>A revision has converged when the last connected gateway ACKs it.</summary>
    private void RecordConvergence(long revision, DateTimeOffset now)
    {
        var connected = _byGateway.Values.Where(e => e.ConnectionId is not null).ToList();
        if (!_headSeenAt.TryGetValue(revision, out var seen) || connected.Any(e => e.Status.AppliedRevision < revision)
            || _convergences.Any(c => c.Revision == revision))
        {
            return;
        }

        _convergences.AddFirst(new RevisionConvergence(revision, (now - seen).TotalMilliseconds, connected.Count));
        if (_convergences.Count > KeptConvergences)
        {
            _convergences.RemoveLast();
        }
    }
}

using MeshPortal.Portal.Live;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Sync state of the fleet as this replica sees it: one row per connection, under the node of the
/// connection's token, never under a name the gateway chose. States are derived when read, against
/// the head revision and the clock, so STALE appears without any message arriving.
/// </summary>
public sealed class GatewayRegistry(TimeProvider time, IOptions<FleetOptions> options)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(5);
    private const int KeptConvergences = 100;

    /// <summary>A NACK's error is shown on the Gateways page; longer ones are cut.</summary>
    private const int MaxErrorLength = 2_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byConnection = new(StringComparer.Ordinal);
    private readonly RevisionLedger _ledger = new();
    private readonly LinkedList<RevisionConvergence> _convergences = new();

    // Live rows by the revision each has applied: whether a revision has converged is then a look at the
    // few revisions in use, not at every row. A scan per ACK made each change cost the square of the fleet
    // under this lock (with 200 gateways a fifth of the portal's CPU per change went to it and to spinning on the lock).
    private readonly Dictionary<long, int> _liveByApplied = [];
    private SharedFleet _others = SharedFleet.Empty;

    public Subscribers Subscribers { get; } = new(time);

    private sealed class Entry
    {
        public required GatewayStatus Status;
        public DateTimeOffset? ClosedAt;
    }

    public void HeadChanged(long revision, string hash)
    {
        lock (_gate)
        {
            _ledger.HeadChanged(revision, hash, time.GetUtcNow());
        }

        Subscribers.Notify();
    }

    /// <summary>
    /// Registers (or, on a repeated Hello, updates) the connection's row under <paramref name="node"/>,
    /// the node of its token. The applied revision counts only when this portal pushed it with that
    /// hash. False when the node already has its maximum of rows.
    /// </summary>
    public bool Hello(string connectionId, string node, GatewayHello hello)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            Prune(now);
            var known = _ledger.IsKnown(hello.AppliedRevision, hello.AppliedHash);
            var status = new GatewayStatus
            {
                Node = node,
                GatewayId = hello.GatewayId,
                Version = hello.Version,
                AppliedRevision = known ? hello.AppliedRevision : 0,
                AppliedHash = known ? hello.AppliedHash : null,
                LastSeen = now,
                InboundUrl = hello.InboundUrl,
                Replica = options.Value.ReplicaName,
            };
            if (_byConnection.TryGetValue(connectionId, out var entry))
            {
                SetStatus(entry, status with { CertificateNotAfter = entry.Status.CertificateNotAfter });
            }
            else if (!Admit(node, hello.GatewayId))
            {
                return false;
            }
            else
            {
                _byConnection[connectionId] = new Entry { Status = status };
                CountLive(status.AppliedRevision, 1);
            }
        }

        Subscribers.Notify();
        return true;
    }

    /// <summary>The node of a live connection that has said Hello; null before Hello or after it closed.</summary>
    public string? NodeOf(string connectionId)
    {
        lock (_gate)
        {
            return _byConnection.TryGetValue(connectionId, out var e) && e.ClosedAt is null ? e.Status.Node : null;
        }
    }

    /// <summary>Taken only for a revision this portal pushed with exactly that hash.</summary>
    public bool Acked(string connectionId, long revision, string? hash) =>
        Update(connectionId, ledger => ledger.IsKnown(revision, hash), (s, now) =>
        {
            var convergence = _ledger.HeadSince(revision) is { } since ? (now - since).TotalMilliseconds : s.ConvergenceMs;
            return s with { AppliedRevision = revision, AppliedHash = hash, LastSeen = now, ConvergenceMs = convergence };
        }, revision);

    /// <summary>Taken only for a revision up to the head: a gateway cannot reject what was never pushed.</summary>
    public bool Nacked(string connectionId, long revision, string? error) =>
        Update(connectionId, ledger => revision >= 0 && revision <= ledger.Head, (s, now) => s with
        {
            LastNackRevision = revision,
            LastError = error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error,
            LastSeen = now,
        }, null);

    public bool CertificateIssued(string connectionId, DateTimeOffset notAfter) =>
        Update(connectionId, _ => true, (s, now) => s with { CertificateNotAfter = notAfter, LastSeen = now }, null);

    public bool Seen(string connectionId) => Update(connectionId, _ => true, (s, now) => s with { LastSeen = now }, null);

    public void Disconnected(string connectionId)
    {
        lock (_gate)
        {
            if (_byConnection.TryGetValue(connectionId, out var entry) && entry.ClosedAt is null)
            {
                var now = time.GetUtcNow();
                CountLive(entry.Status.AppliedRevision, -1);
                entry.ClosedAt = now;
                entry.Status = entry.Status with { LastSeen = now };
            }
        }

        Subscribers.Notify();
    }

    /// <summary>Every gateway of the fleet: this replica's connections and those the other replicas share.</summary>
    public IReadOnlyList<GatewayStatus> List() => FleetMerge.Statuses(LocalList(), Volatile.Read(ref _others).Gateways);

    /// <summary>Newest first; a revision has converged on the fleet when every replica's gateways have it.</summary>
    public IReadOnlyList<RevisionConvergence> Convergences() => FleetMerge.Convergences(LocalConvergences(), Volatile.Read(ref _others));

    /// <summary>The gateways connected to this replica (and its recently closed connections).</summary>
    public IReadOnlyList<GatewayStatus> LocalList()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            Prune(now);
            return [.. _byConnection.Values.Select(e => e.Status with { State = StateOf(e, now) }).OrderBy(s => s.Node).ThenBy(s => s.GatewayId)];
        }
    }

    public IReadOnlyList<RevisionConvergence> LocalConvergences()
    {
        lock (_gate)
        {
            return [.. _convergences];
        }
    }

    /// <summary>Whether another replica was alive at the last look: only then is there anyone to share telemetry with.</summary>
    public bool HasPeers => Volatile.Read(ref _others).Replicas > 0;

    /// <summary>What the other live replicas last shared of their gateways.</summary>
    public void OthersShared(SharedFleet others)
    {
        Volatile.Write(ref _others, others);
        Subscribers.Notify();
    }

    /// <summary>
    /// A gateway back after a reconnect replaces its closed row; otherwise the node must have room,
    /// made by dropping its longest-closed rows. Live rows are never dropped.
    /// </summary>
    private bool Admit(string node, string gatewayId)
    {
        var closed = _byConnection.Where(kv => kv.Value.Status.Node == node && kv.Value.ClosedAt is not null)
            .OrderBy(kv => kv.Value.Status.GatewayId == gatewayId ? 0 : 1).ThenBy(kv => kv.Value.ClosedAt)
            .ToList();
        var rows = _byConnection.Values.Count(e => e.Status.Node == node);
        foreach (var (id, entry) in closed)
        {
            if (entry.Status.GatewayId != gatewayId && rows < options.Value.MaxGatewaysPerNode)
            {
                break;
            }

            _byConnection.Remove(id);
            rows--;
        }

        return rows < options.Value.MaxGatewaysPerNode;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var id in _byConnection.Where(kv => now - kv.Value.ClosedAt >= options.Value.DisconnectedRetention).Select(kv => kv.Key).ToList())
        {
            _byConnection.Remove(id);
        }
    }

    private GatewaySyncState StateOf(Entry e, DateTimeOffset now)
    {
        var s = e.Status;
        if (e.ClosedAt is not null)
        {
            return GatewaySyncState.Disconnected;
        }

        if (s.LastNackRevision is { } nacked && nacked > s.AppliedRevision)
        {
            return GatewaySyncState.Nacked;
        }

        if (s.AppliedRevision == _ledger.Head)
        {
            return GatewaySyncState.Synced;
        }

        // Behind: stale once the oldest revision it lacks has been head for longer than StaleAfter.
        var behindSince = _ledger.BehindSince(s.AppliedRevision) ?? now;
        return now - behindSince > StaleAfter ? GatewaySyncState.Stale : GatewaySyncState.Applying;
    }

    private bool Update(
        string connectionId, Func<RevisionLedger, bool> accept, Func<GatewayStatus, DateTimeOffset, GatewayStatus> change, long? ackedRevision)
    {
        lock (_gate)
        {
            if (!_byConnection.TryGetValue(connectionId, out var entry) || entry.ClosedAt is not null || !accept(_ledger))
            {
                return false;
            }

            var now = time.GetUtcNow();
            SetStatus(entry, change(entry.Status, now));
            if (ackedRevision is { } revision)
            {
                RecordConvergence(revision, now);
            }
        }

        Subscribers.Notify();
        return true;
    }

    /// <summary>A revision has converged when the last connected gateway ACKs it.</summary>
    private void RecordConvergence(long revision, DateTimeOffset now)
    {
        if (_ledger.HeadSince(revision) is not { } since || AnyLiveBefore(revision) || _convergences.Any(c => c.Revision == revision))
        {
            return;
        }

        _convergences.AddFirst(new RevisionConvergence(revision, (now - since).TotalMilliseconds, _liveByApplied.Values.Sum(), now));
        if (_convergences.Count > KeptConvergences)
        {
            _convergences.RemoveLast();
        }
    }

    private bool AnyLiveBefore(long revision)
    {
        foreach (var applied in _liveByApplied.Keys)
        {
            if (applied < revision)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces a row's status, keeping the count of live rows by applied revision.</summary>
    private void SetStatus(Entry entry, GatewayStatus status)
    {
        if (entry.ClosedAt is null && entry.Status.AppliedRevision != status.AppliedRevision)
        {
            CountLive(entry.Status.AppliedRevision, -1);
            CountLive(status.AppliedRevision, 1);
        }

        entry.Status = status;
    }

    private void CountLive(long applied, int change)
    {
        var count = _liveByApplied.GetValueOrDefault(applied) + change;
        if (count == 0)
        {
            _liveByApplied.Remove(applied);
        }
        else
        {
            _liveByApplied[applied] = count;
        }
    }
}

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// The head revisions this replica has pushed, with their hashes and when each became head: what a
/// gateway may claim to run, and where convergence times start. Not thread-safe: the registry locks.
/// </summary>
internal sealed class RevisionLedger
{
    /// <summary>Revisions remembered behind the head; ACKs of older ones are refused.</summary>
    public const int Kept = 100;

    private readonly Dictionary<long, (string Hash, DateTimeOffset Since)> _heads = [];

    public long Head { get; private set; }

    public void HeadChanged(long revision, string hash, DateTimeOffset now)
    {
        Head = revision;
        _heads.TryAdd(revision, (hash, now));
        foreach (var old in _heads.Keys.Where(r => r < revision - Kept).ToList())
        {
            _heads.Remove(old);
        }
    }

    /// <summary>Whether <paramref name="revision"/> was head here with exactly this hash.</summary>
    public bool IsKnown(long revision, string? hash) =>
        revision <= Head && _heads.TryGetValue(revision, out var head) && string.Equals(head.Hash, hash, StringComparison.Ordinal);

    public DateTimeOffset? HeadSince(long revision) => _heads.TryGetValue(revision, out var head) ? head.Since : null;

    /// <summary>When the oldest revision newer than <paramref name="applied"/> became head, if any.</summary>
    public DateTimeOffset? BehindSince(long applied) =>
        _heads.Where(kv => kv.Key > applied).Select(kv => (DateTimeOffset?)kv.Value.Since).Min();
}

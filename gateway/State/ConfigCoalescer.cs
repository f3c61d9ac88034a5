using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.State;

/// <summary>A snapshot or a delta as the portal pushed it; <see cref="Snapshot"/> may be null (then it is refused).</summary>
internal sealed record ConfigMessage(MeshSnapshot? Snapshot, ConfigDelta? Delta)
{
    public bool IsDelta => Delta is not null;
}

/// <summary>What to do with the messages that queued up while the gateway applied the one before.</summary>
internal sealed record Coalesced(DeltaFit Fit, MeshSnapshot? Snapshot, int Messages)
{
    /// <summary>Composed from deltas, whose hash was checked on the whole result.</summary>
    public bool HashChecked => Fit == DeltaFit.Composed;
}

/// <summary>
/// Turns a queue of pushed messages into at most one config to apply: the newest. A gateway that fell
/// behind starts from the last snapshot in the queue (or the served one), composes the deltas after it
/// into one, and applies and hashes only the result; a delta that does not follow on means a snapshot is needed.
/// </summary>
internal static class ConfigCoalescer
{
    public static Coalesced Coalesce(MeshSnapshot? served, IReadOnlyList<ConfigMessage> queued)
    {
        var last = queued.Count - 1;
        while (last >= 0 && queued[last].IsDelta)
        {
            last--;
        }

        var basis = last >= 0 ? queued[last].Snapshot : served;
        ConfigDelta? composed = null;
        for (var i = last + 1; i < queued.Count; i++)
        {
            var delta = queued[i].Delta!;
            var at = composed?.Revision ?? basis?.Revision;
            if (at is { } revision && delta.Revision <= revision)
            {
                continue;
            }

            if (at != delta.BaseRevision)
            {
                return new Coalesced(DeltaFit.Gap, null, queued.Count);
            }

            composed = composed is null ? delta : ConfigDeltas.Compose(composed, delta);
        }

        if (composed is null)
        {
            // Only a pushed snapshot is applied as it came; deltas that were all stale leave the served config.
            return last >= 0 ? new Coalesced(DeltaFit.Whole, basis, queued.Count) : new Coalesced(DeltaFit.Stale, null, queued.Count);
        }

        var fit = DeltaComposer.Compose(basis, composed, out var snapshot);
        return new Coalesced(fit, snapshot, queued.Count);
    }
}

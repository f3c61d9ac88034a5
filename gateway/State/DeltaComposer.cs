using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Gateway.State;

/// <summary>What a delta makes of the config it was applied to.</summary>
internal enum DeltaFit
{
    /// <summary>The result hashes to what the portal said: it may be applied.</summary>
    Composed,

    /// <summary>A whole snapshot as pushed: applied after its own checks.</summary>
    Whole,

    /// <summary>The delta is not newer than the config: a snapshot (on Hello) overtook it; nothing to do.</summary>
    Stale,

    /// <summary>The delta starts from another revision than the config's: only a whole snapshot helps.</summary>
    Gap,

    /// <summary>Applied to the config, the delta does not give the portal's hash: only a whole snapshot helps.</summary>
    HashMismatch,
}

/// <summary>
/// Applies a delta to the served snapshot and checks the hash of the whole result, with the hash the
/// protocol uses for snapshots (<see cref="CanonicalJson.Hash"/>). Validation is left to
/// <see cref="ConfigApplier"/>, which validates the whole resulting mesh as it does a snapshot.
/// </summary>
internal static class DeltaComposer
{
    public static DeltaFit Compose(MeshSnapshot? current, ConfigDelta delta, out MeshSnapshot? composed)
    {
        composed = null;
        if (current is not null && delta.Revision <= current.Revision)
        {
            return DeltaFit.Stale;
        }

        if (current is null || current.Revision != delta.BaseRevision)
        {
            return DeltaFit.Gap;
        }

        var config = ConfigDeltas.Apply(current.Config, delta);
        var hash = CanonicalJson.Hash(config);
        if (!string.Equals(hash, delta.Hash, StringComparison.Ordinal))
        {
            return DeltaFit.HashMismatch;
        }

        composed = new MeshSnapshot { Revision = delta.Revision, Hash = hash, Config = config };
        return DeltaFit.Composed;
    }
}

using System.Diagnostics.CodeAnalysis;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Gateway.State;

/// <summary>The gateway's own check of a snapshot before it is applied: the shared rules, then the hash.</summary>
internal static class SnapshotCheck
{
    /// <summary>Whether <paramref name="snapshot"/> may be applied; if not, <paramref name="problem"/> says why.</summary>
    public static bool IsAcceptable([NotNullWhen(true)] MeshSnapshot? snapshot, bool hashChecked, [NotNullWhen(false)] out string? problem)
    {
        problem = FindProblem(snapshot, hashChecked);
        return problem is null;
    }

    /// <summary>
    /// Why <paramref name="snapshot"/> must not be applied, or null when it may be. <paramref name="hashChecked"/>
    /// skips the hash of a config composed from a delta, whose hash was checked as it was composed.
    /// </summary>
    public static string? FindProblem(MeshSnapshot? snapshot, bool hashChecked = false)
    {
        if (snapshot?.Config is null || string.IsNullOrEmpty(snapshot.Hash))
        {
            return "the snapshot has no config or no hash";
        }

        IReadOnlyList<ValidationError> errors;
        try
        {
            errors = MeshValidator.Validate(snapshot.Config);
        }
        catch (Exception ex) when (ex is NullReferenceException or ArgumentException)
        {
            // A snapshot with null lists or members slips past deserialisation; it is malformed, not a crash.
            return $"malformed config: {ex.Message}";
        }

        if (errors.Count > 0)
        {
            return $"invalid config at revision {snapshot.Revision}: {errors.Describe()}";
        }

        if (hashChecked)
        {
            return null;
        }

        var hash = CanonicalJson.Hash(snapshot.Config);
        return hash == snapshot.Hash
            ? null
            : $"hash mismatch at revision {snapshot.Revision}: the snapshot says {snapshot.Hash} but its config hashes to {hash}";
    }
}

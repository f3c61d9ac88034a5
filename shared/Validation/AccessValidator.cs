using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Validation;

/// <summary>An access policy names callers as services (or <c>*</c>, <c>external</c>), each once, boundedly many.</summary>
public static class AccessValidator
{
    /// <summary>More callers than this is a list nobody reviews; use owners' services or <c>*</c>.</summary>
    public const int MaxCallers = 256;

    public static void Validate(AccessPolicy? access, ErrorCollector errors)
    {
        if (access is null)
        {
            return;
        }

        if (access.Allow is null)
        {
            errors.Add("allow", "is required (a list of service names, [\"*\"] for everyone, [] for nobody)");
            return;
        }

        if (access.Allow.Count > MaxCallers)
        {
            errors.Add("allow", $"names {access.Allow.Count} callers; at most {MaxCallers}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < access.Allow.Count; i++)
        {
            var caller = access.Allow[i];
            var field = $"allow[{i}]";
            if (caller == AccessPolicy.Everyone)
            {
                if (access.Allow.Count > 1)
                {
                    errors.Add(field, "'*' (everyone) stands alone: drop the other names or the '*'");
                }
            }
            else
            {
                NameRules.RequireDnsLabel(errors, field, caller);
            }

            if (caller is not null && !seen.Add(caller))
            {
                errors.Add(field, $"'{caller}' is named twice");
            }
        }
    }
}

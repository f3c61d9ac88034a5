using System.Text.RegularExpressions;

namespace MeshPortal.Shared.Validation;

public static partial class NameRules
{
    /// <summary>Service, subset and route names are DNS labels, so they can be used as hosts.</summary>
    public static bool IsDnsLabel(string? value) => value is not null && DnsLabel().IsMatch(value);

    /// <summary>
    /// Node names follow Kubernetes: a DNS subdomain (dot-separated labels, at most 253 characters),
    /// since nodes are often named by their fully qualified host name.
    /// </summary>
    public static bool IsNodeName(string? value) =>
        value is { Length: > 0 and <= MaxNodeNameLength } && value.Split('.').All(IsDnsLabel);

    public const int MaxNodeNameLength = 253;

    /// <summary>What <see cref="IsNodeName"/> accepts, for the messages of the portal and the gateway alike.</summary>
    public const string NodeNameRule =
        "a node name as Kubernetes has them: a DNS subdomain such as n1 or ip-10-0-1-2.ec2.internal (lowercase letters, digits, '-' and '.'; "
        + "each dot-separated label 1-63 characters, starting and ending with a letter or digit; at most 253 characters)";

    public static void RequireDnsLabel(ErrorCollector errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "is required");
        }
        else if (!IsDnsLabel(value))
        {
            errors.Add(field, $"'{value}' is not a DNS label (lowercase letters, digits and '-', 1-63 characters, starting and ending with a letter or digit)");
        }
    }

    // \z, not $: $ also matches before a final newline, which would let "name\n" through.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\z")]
    private static partial Regex DnsLabel();
}

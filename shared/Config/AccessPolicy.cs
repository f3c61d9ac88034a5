namespace MeshPortal.Shared.Config;

/// <summary>
/// The callers a service accepts, by service name: <c>*</c> is everyone, <c>external</c> the callers the
/// gateway cannot tell by their address, an empty list nobody.
/// </summary>
public sealed record AccessPolicy
{
    public const string Everyone = "*";

    /// <summary>Callers the gateway does not know by address; a header naming a service never makes one known.</summary>
    public const string External = "external";

    public IReadOnlyList<string> Allow { get; init; } = [Everyone];

    public bool AllowsEveryone => Allow.Contains(Everyone);

    /// <summary>The policy a config keeps for <paramref name="allow"/>: null when it is the default (everyone).</summary>
    public static AccessPolicy? For(IReadOnlyList<string> allow) =>
        allow.Contains(Everyone) ? null : new AccessPolicy { Allow = [.. allow.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] };
}

using System.Security.Claims;
using MeshPortal.Portal.Store;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Who asks for a change and on what terms: the principal whose role the commands check
/// themselves (so a page or endpoint that forgets its own check still cannot write), the metadata
/// stored with the events, and whether the caller confirmed a change that removes live parts.
/// </summary>
public sealed record CommandContext
{
    public required ClaimsPrincipal User { get; init; }
    public required EventMetadata Metadata { get; init; }
    public bool Confirmed { get; init; }

    public bool MayChangeRouting => User.Identity?.IsAuthenticated == true && User.IsInRole(Roles.Operator);

    public bool MayAdminister => User.Identity?.IsAuthenticated == true && User.IsInRole(Roles.Admin);

    /// <summary>The actor recorded in History is always the principal's name, never what a caller claims.</summary>
    public static CommandContext For(ClaimsPrincipal user, string? reason, string? correlationId, string? clientAddress, bool confirmed = false) => new()
    {
        User = user,
        Confirmed = confirmed,
        Metadata = new EventMetadata
        {
            Actor = user.Identity?.Name ?? "anonymous",
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            CorrelationId = correlationId,
            ClientAddress = clientAddress,
        },
    };
}

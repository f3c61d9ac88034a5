using MeshPortal.Portal.Store;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshPortal.Portal.Components.Routing;

/// <summary>Event metadata for changes made in the portal's pages.</summary>
public static class UiMetadata
{
    public static async Task<EventMetadata> ForAsync(Task<AuthenticationState> auth, UiSession session, string? reason) => new()
    {
        Actor = (await auth).User.Identity?.Name ?? "anonymous",
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        CorrelationId = Guid.NewGuid().ToString("N"),
        ClientAddress = session.ClientAddress,
    };
}

using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshPortal.Portal.Components.Routing;

/// <summary>The command context for changes made in the portal's pages: the signed-in user, checked again by the commands.</summary>
public static class UiMetadata
{
    public static async Task<CommandContext> ForAsync(Task<AuthenticationState> auth, UiSession session, string? reason, bool confirmed = false) =>
        CommandContext.For((await auth).User, reason, Guid.NewGuid().ToString("N"), session.ClientAddress, confirmed);
}

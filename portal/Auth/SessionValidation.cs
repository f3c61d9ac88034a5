using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace MeshPortal.Portal.Auth;

public static class SessionValidation
{
    /// <summary>Valid while the cookie's session exists and the user still has the role it carries.</summary>
    public static async Task<bool> IsCurrentAsync(SessionStore sessions, ClaimsPrincipal principal, CancellationToken ct) =>
        principal.FindFirst(SignInService.SessionClaim)?.Value is { } id
        && await sessions.ValidateAsync(id, ct) is { } user
        && user.Name == principal.Identity?.Name
        && user.Role == principal.FindFirst(UserPrincipal.RoleClaim)?.Value;

    /// <summary>Every request with a cookie: a cookie whose session ended is refused and cleared.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        if (context.Principal is null || !await IsCurrentAsync(sessions, context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}

/// <summary>
/// Open Blazor circuits recheck their session twice a second: once it ends (sign-out elsewhere,
/// role or password changed, user deleted) the circuit turns anonymous and the page goes to login.
/// </summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, SessionStore sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => SessionStore.CacheFor;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        SessionValidation.IsCurrentAsync(sessions, authenticationState.User, cancellationToken);
}

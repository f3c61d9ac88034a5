using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

/// <summary><c>Authorization: Bearer mpk_…</c>: an API key that acts as its user, with that user's role.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = BearerToken.From(Request, allowQuery: false);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var user = await accounts.FindByApiKeyAsync(key, Context.RequestAborted);
        return user is null
            ? AuthenticateResult.Fail("unknown or revoked API key")
            : AuthenticateResult.Success(new AuthenticationTicket(UserPrincipal.Create(user, SchemeName), SchemeName));
    }
}

public static class UserPrincipal
{
    public static ClaimsPrincipal Create(UserAccount user, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new("mesh_role", user.Role) };
        claims.AddRange(Roles.Implied(user.Role).Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

public static class BearerToken
{
    public static string? From(HttpRequest request, bool allowQuery)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        // Browsers' WebSocket API cannot set headers, so SignalR clients may send the token in the query.
        return allowQuery && request.Query.TryGetValue(Shared.Fleet.FleetProtocol.TokenQueryParameter, out var token)
            ? token.ToString()
            : null;
    }
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

/// <summary>Authenticates a gateway on the fleet hub by its per-node token. No token, no config.</summary>
public sealed partial class GatewayTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, AccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "GatewayToken";
    public const string NodeClaim = "mesh_node";

    /// <summary>The token's id, so the fleet hub can end the connection when the token is revoked.</summary>
    public const string TokenIdClaim = "mesh_gateway_token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (string.IsNullOrEmpty(token))
        {
            LogRefused(Logger, client, "no token");
            return AuthenticateResult.Fail("no gateway token");
        }

        var check = await accounts.CheckGatewayTokenAsync(token, Context.RequestAborted);
        if (check is not { Id: { } id, Node: { } node })
        {
            LogRefused(Logger, client, check.Refusal!);
            return AuthenticateResult.Fail(check.Refusal!);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, $"gateway:{node}"), new Claim(NodeClaim, node), new Claim(TokenIdClaim, id),
                new Claim(ClaimTypes.Role, Roles.Gateway),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Gateway connection from {Client} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string client, string reason);
}

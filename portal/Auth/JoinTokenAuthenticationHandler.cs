using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Authenticates a cluster join token, for the enroll endpoint only: its principal has the
/// <see cref="Roles.Joiner"/> role and nothing else, so it opens neither the API nor the fleet hub
/// (the hub takes node tokens, which live in another table). Refusals answer with a problem that
/// says why: 401 for a missing or unknown token, 403 for one that is revoked, expired or used up.
/// </summary>
public sealed partial class JoinTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, AccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "JoinToken";
    public const string JoinTokenClaim = "mesh_join_token";

    private const string StatusItem = "status";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (string.IsNullOrEmpty(token))
        {
            return Refuse(client, "no join token (send it as Authorization: Bearer)", StatusCodes.Status401Unauthorized);
        }

        var check = await accounts.CheckJoinTokenAsync(token, Context.RequestAborted);
        if (check.Id is not { } id)
        {
            return Refuse(client, check.Refusal!, check.Known ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, $"join-token:{id}"), new Claim(JoinTokenClaim, id), new Claim(ClaimTypes.Role, Roles.Joiner)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var status = result.Properties?.Items.TryGetValue(StatusItem, out var value) == true && value == "403"
            ? StatusCodes.Status403Forbidden
            : StatusCodes.Status401Unauthorized;
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
        }

        await Results.Problem(result.Failure?.Message ?? "a join token is required", statusCode: status, title: "Enrollment refused")
            .ExecuteAsync(Context);
    }

    private AuthenticateResult Refuse(string client, string reason, int status)
    {
        LogRefused(Logger, client, reason);
        return AuthenticateResult.Fail(reason, new AuthenticationProperties(new Dictionary<string, string?> { [StatusItem] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Enrollment from {Client} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string client, string reason);
}

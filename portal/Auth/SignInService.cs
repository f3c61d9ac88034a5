using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MeshPortal.Portal.Auth;

public abstract record SignInResult
{
    public sealed record SignedIn : SignInResult;

    public sealed record WrongCredentials : SignInResult;

    public sealed record Throttled(TimeSpan RetryAfter) : SignInResult;
}

/// <summary>
/// Browser sign-in and sign-out: throttled per user name and address, failures logged (never the
/// password), and a server-side session behind every cookie.
/// </summary>
public sealed partial class SignInService(AccountStore accounts, SessionStore sessions, LoginThrottle throttle, ILogger<SignInService> logger)
{
    public const string SessionClaim = "mesh_session";

    public async Task<SignInResult> SignInAsync(HttpContext http, string userName, string password)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wait = throttle.RetryAfter(userName, address);
        if (wait > TimeSpan.Zero)
        {
            LogThrottled(Printable(userName), address, Seconds(wait));
            return new SignInResult.Throttled(wait);
        }

        var user = await accounts.VerifyPasswordAsync(userName, password, http.RequestAborted);
        if (user is null)
        {
            var lockout = throttle.Failed(userName, address);
            LogFailed(Printable(userName), address, Seconds(lockout));
            return new SignInResult.WrongCredentials();
        }

        throttle.Succeeded(userName);
        var sessionId = await sessions.CreateAsync(user.Name, http.RequestAborted);
        var principal = UserPrincipal.Create(user, CookieAuthenticationDefaults.AuthenticationScheme);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionClaim, sessionId));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        LogSignedIn(user.Name, address);
        return new SignInResult.SignedIn();
    }

    /// <summary>Ends the session behind the cookie (so a copy of the cookie stops working too) and clears it.</summary>
    public async Task SignOutAsync(HttpContext http)
    {
        var auth = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (auth.Principal?.FindFirst(SessionClaim)?.Value is { } sessionId)
        {
            await sessions.EndAsync(sessionId, http.RequestAborted);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public static int Seconds(TimeSpan wait) => (int)Math.Ceiling(wait.TotalSeconds);

    /// <summary>User names come from anyone: keep log lines one line and short.</summary>
    private static string Printable(string userName)
    {
        var clean = new string([.. userName.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return userName.Length > 64 ? clean + "…" : clean;
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Failed sign-in for user '{User}' from {Address}; locked for {LockSeconds} s")]
    private partial void LogFailed(string user, string address, int lockSeconds);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Sign-in for user '{User}' from {Address} refused: too many failures, retry in {RetryAfterSeconds} s")]
    private partial void LogThrottled(string user, string address, int retryAfterSeconds);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Information, Message = "User '{User}' signed in from {Address}")]
    private partial void LogSignedIn(string user, string address);
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshPortal.Portal.Auth;

public static class AuthSetup
{
    private const string UserScheme = "User";

    /// <summary>
    /// Browsers sign in with a cookie, scripts send an API key, gateways a node token, a
    /// new node's gateway a join token (to enroll only). Everything
    /// but health and login requires an authenticated user.
    /// </summary>
    public static IServiceCollection AddMeshAuth(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration("Portal");
        services.AddAuthentication(UserScheme)
            .AddPolicyScheme(UserScheme, "Cookie or API key", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";
                o.Cookie.Name = "meshportal";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // The session row decides how long a sign-in lasts; the cookie only names it.
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = SessionValidation.ValidatePrincipalAsync;
                o.Events.OnRedirectToLogin = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, GatewayTokenAuthenticationHandler>(GatewayTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, JoinTokenAuthenticationHandler>(JoinTokenAuthenticationHandler.SchemeName, null);

        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<SecurityOptions>>((o, security) => o.ExpireTimeSpan = security.Value.SessionLifetime);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.Viewer))
            .AddPolicy(Policies.ChangeRouting, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Fleet, p => p
                .AddAuthenticationSchemes(GatewayTokenAuthenticationHandler.SchemeName)
                .RequireRole(Roles.Gateway))
            .AddPolicy(Policies.Enroll, p => p
                .AddAuthenticationSchemes(JoinTokenAuthenticationHandler.SchemeName)
                .RequireRole(Roles.Joiner));

        services.AddCascadingAuthenticationState();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<AdminBootstrap>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AccountHistory>();
        services.AddSingleton<AccountService>();
        services.AddScoped<SignInService>();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        return services;
    }

    private static Task ApiStatusOrRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        // Machines (API clients, gateways, Prometheus) get a status; people get the login page.
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hubs") || ctx.Request.Path.StartsWithSegments("/metrics"))
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }

        return Task.CompletedTask;
    }
}

using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Hosting;

/// <summary>The reverse proxies (ingress controllers) in front of the portal: the <c>Portal:Proxy</c> section.</summary>
public sealed record ProxyOptions
{
    public const string Section = "Portal:Proxy";

    /// <summary>
    /// CIDR networks (e.g. 10.0.0.0/8) whose X-Forwarded-For and X-Forwarded-Proto are believed.
    /// Empty: no forwarded header is read, so no client can claim another address or scheme.
    /// </summary>
    public string[] TrustedNetworks { get; init; } = [];
}

/// <summary>
/// Behind TLS termination the portal sees plain HTTP from the proxy. Forwarded headers, from the
/// trusted networks only, restore the client's scheme and address (login throttling counts per
/// address), and every cookie the portal sets is Secure whenever the client's request was https.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var networks = ParseNetworks(configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new());
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the listed networks: the defaults (loopback) would let a local process claim https.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            // A chain of trusted proxies (load balancer, then ingress) is walked back to the first untrusted hop.
            o.ForwardLimit = null;
        });

        // Both cookies are Secure exactly when the client's request was https; the antiforgery cookie's default never is.
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme,
            o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.Configure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>Reads forwarded headers when trusted networks are configured; first in the pipeline.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownIPNetworks.Count > 0
            ? app.UseForwardedHeaders()
            : app;

    /// <summary>Every entry must be a CIDR network; a bad one stops the start with its position and value.</summary>
    public static IReadOnlyList<IPNetwork> ParseNetworks(ProxyOptions options)
    {
        var result = new List<IPNetwork>();
        for (var i = 0; i < options.TrustedNetworks.Length; i++)
        {
            var text = options.TrustedNetworks[i]?.Trim() ?? "";
            if (!text.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(text, out var network))
            {
                throw new InvalidOperationException(
                    $"{ProxyOptions.Section}:TrustedNetworks:{i} is '{text}', not a CIDR network such as 10.0.0.0/8 or fd00::/8 (an address alone is written 10.1.2.3/32).");
            }

            result.Add(network);
        }

        return result;
    }
}

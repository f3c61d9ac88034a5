using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Validation;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Hosting;

/// <summary>Fills the defaults that depend on other settings and checks everything before the gateway listens.</summary>
internal sealed class GatewayOptionsSetup : IPostConfigureOptions<GatewayOptions>, IValidateOptions<GatewayOptions>
{
    public void PostConfigure(string? name, GatewayOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.GatewayId))
        {
            options.GatewayId = $"{options.Node}-{Environment.MachineName}-{Environment.ProcessId}";
        }

        options.InboundUrl = BracketIPv6Host(options.InboundUrl);
    }

    /// <summary>
    /// <c>https://fd00::7:15443</c> as <c>https://[fd00::7]:15443</c>: the chart builds the inbound URL from
    /// Kubernetes' <c>$(POD_IP)</c>, which an IPv6 cluster gives without the brackets a URL needs.
    /// Anything else is left as it is, for validation to judge.
    /// </summary>
    internal static string BracketIPv6Host(string url)
    {
        const string scheme = "https://";
        if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || url.Contains('['))
        {
            return url;
        }

        var authority = url[scheme.Length..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        return colon > 0
            && System.Net.IPAddress.TryParse(authority[..colon], out var address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            && int.TryParse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out _)
            ? $"{scheme}[{authority[..colon]}]:{authority[(colon + 1)..]}"
            : url;
    }

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        if (options.PortalUrls.Count == 0)
        {
            errors.Add("Gateway:PortalUrl is required (env Gateway__PortalUrl): the portal's URL, or its replicas' URLs separated by commas.");
        }

        foreach (var url in options.PortalUrls)
        {
            RequireUrl(errors, nameof(options.PortalUrl), url, requirePort: false);
        }

        CheckPortalCa(errors, options);
        CheckCredential(errors, options);

        if (!NameRules.IsNodeName(options.Node))
        {
            errors.Add($"Gateway:Node (env Gateway__Node) must be {NameRules.NodeNameRule}, got '{options.Node}'.");
        }

        var proxy = RequireUrl(errors, nameof(options.ProxyUrl), options.ProxyUrl, requirePort: true);
        var admin = RequireUrl(errors, nameof(options.AdminUrl), options.AdminUrl, requirePort: true);
        if (proxy is not null && admin is not null && proxy.Port == admin.Port)
        {
            errors.Add($"Gateway:ProxyUrl and Gateway:AdminUrl must use different ports (both use {proxy.Port}): admin and proxy traffic are told apart by port.");
        }

        CheckInbound(errors, options, proxy, admin);

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            errors.Add("Gateway:StateDirectory is required (env Gateway__StateDirectory): the last-known-good config is kept there.");
        }

        if (options.MaxRoutes < 1)
        {
            errors.Add($"Gateway:MaxRoutes must be at least 1 (env Gateway__MaxRoutes), got {options.MaxRoutes}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>A CA bundle that holds certificates now, for portal URLs that are all https.</summary>
    private static void CheckPortalCa(List<string> errors, GatewayOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PortalCaFile))
        {
            return;
        }

        if (Fleet.PortalTrust.Problem(options.PortalCaFile) is { } problem)
        {
            errors.Add(problem + " (env Gateway__PortalCaFile)");
        }

        foreach (var url in options.PortalUrls.Where(u => !u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"Gateway:PortalCaFile is set, so every Gateway:PortalUrl must be https://, not '{url}': a CA verifies nothing over plain HTTP.");
        }
    }

    private static void CheckInbound(List<string> errors, GatewayOptions options, Uri? proxy, Uri? admin)
    {
        if (options.InboundUrl.Length == 0)
        {
            return;
        }

        if (!TransportLimits.IsInboundUrl(options.InboundUrl) || !Listeners.CanListenOn(new Uri(options.InboundUrl)))
        {
            errors.Add($"Gateway:InboundUrl (env Gateway__InboundUrl) must be empty or {TransportLimits.InboundUrlRule} on an IP address or localhost, got '{options.InboundUrl}'.");
            return;
        }

        var port = new Uri(options.InboundUrl).Port;
        if (port == proxy?.Port || port == admin?.Port)
        {
            errors.Add($"Gateway:InboundUrl must use a port of its own ({port} is taken by the proxy or admin URL): hops are told apart by port.");
        }
    }

    /// <summary>Exactly one credential, and a file one that holds a token now rather than at the first connect.</summary>
    private static void CheckCredential(List<string> errors, GatewayOptions options)
    {
        (string Setting, string Value)[] given =
        [
            .. new[] { ("Gateway:Token", options.Token), ("Gateway:TokenFile", options.TokenFile), ("Gateway:JoinTokenFile", options.JoinTokenFile) }
                .Where(c => !string.IsNullOrWhiteSpace(c.Item2)),
        ];
        switch (given.Length)
        {
            case 0:
                errors.Add("Gateway:Token, Gateway:TokenFile or Gateway:JoinTokenFile is required (env Gateway__Token, Gateway__TokenFile, Gateway__JoinTokenFile): the portal refuses gateways without a token.");
                break;
            case > 1:
                errors.Add($"Set exactly one of Gateway:Token, Gateway:TokenFile and Gateway:JoinTokenFile, not {string.Join(" and ", given.Select(c => c.Setting))}.");
                break;
            default:
                if (given[0].Setting != "Gateway:Token" && SecretFile.Problem(given[0].Setting, given[0].Value) is { } problem)
                {
                    errors.Add(problem);
                }

                break;
        }
    }

    private static Uri? RequireUrl(List<string> errors, string field, string value, bool requirePort)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Gateway:{field} must be an absolute http:// or https:// URL (env Gateway__{field}), got '{value}'.");
            return null;
        }

        if (requirePort && (uri.Port <= 0 || uri.Scheme != Uri.UriSchemeHttp || !Listeners.CanListenOn(uri)))
        {
            errors.Add($"Gateway:{field} must be an http:// URL on an IP address or localhost with a port, such as http://127.0.0.1:15001, got '{value}'.");
            return null;
        }

        return uri;
    }
}

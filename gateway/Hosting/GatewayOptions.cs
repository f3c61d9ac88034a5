namespace MeshPortal.Gateway.Hosting;

/// <summary>Settings of one gateway, bound from the "Gateway" section (env <c>Gateway__*</c>).</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Base URL of the portal, e.g. http://127.0.0.1:5000, or of each portal replica separated by
    /// commas: the gateway connects to the first and moves on to the next whenever a connection
    /// fails or ends. One Service URL in front of the replicas does the same.
    /// </summary>
    public string PortalUrl { get; set; } = "";

    /// <summary>The per-node gateway token minted in the portal.</summary>
    public string Token { get; set; } = "";

    /// <summary>The node this gateway serves; must match the node of the token.</summary>
    public string Node { get; set; } = "";

    /// <summary>Identifies this process in the fleet; defaults to <c>{Node}-{machine}-{pid}</c>.</summary>
    public string GatewayId { get; set; } = "";

    public string ProxyUrl { get; set; } = "http://127.0.0.1:15001";

    public string AdminUrl { get; set; } = "http://127.0.0.1:19001";

    /// <summary>Host names, besides IP addresses and localhost, that the admin port answers to.</summary>
    public string[] AdminHosts { get; set; } = [];

    /// <summary>Where the last-known-good snapshot is kept across restarts.</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>
    /// Most routes this gateway accepts in one snapshot: a larger one is NACKed and the last good
    /// config keeps serving, so one runaway config cannot exhaust a node's memory.
    /// </summary>
    public int MaxRoutes { get; set; } = DefaultMaxRoutes;

    public const int DefaultMaxRoutes = 10_000;

    public Uri ProxyUri => new(ProxyUrl);

    public Uri AdminUri => new(AdminUrl);

    public IReadOnlyList<string> PortalUrls =>
        PortalUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The fleet hub of each portal URL, in the order given.</summary>
    public IReadOnlyList<Uri> FleetHubUris => [.. PortalUrls.Select(HubOf)];

    private static Uri HubOf(string portalUrl)
    {
        var portal = new UriBuilder(portalUrl);
        portal.Scheme = portal.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs;
        portal.Path = portal.Path.TrimEnd('/') + Shared.Fleet.FleetProtocol.HubPath;
        return portal.Uri;
    }
}

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

    /// <summary>
    /// The CA certificates (PEM bundle) that sign the portal's HTTPS certificate: when set, the gateway
    /// trusts only these for the portal, not the machine's roots. Without it, https:// uses the system's trust.
    /// </summary>
    public string PortalCaFile { get; set; } = "";

    /// <summary>The per-node gateway token minted in the portal. Exactly one of Token, TokenFile and JoinTokenFile is set.</summary>
    public string Token { get; set; } = "";

    /// <summary>A file holding the node's token (a mounted Secret); read again at every connect, so a rotated Secret takes effect.</summary>
    public string TokenFile { get; set; } = "";

    /// <summary>
    /// A file holding a cluster join token: with no node token of its own under <see cref="StateDirectory"/>,
    /// the gateway enrolls with it, keeps the node token it gets there (0600) and uses that from then on.
    /// </summary>
    public string JoinTokenFile { get; set; } = "";

    /// <summary>The node this gateway serves; must match the node of the token.</summary>
    public string Node { get; set; } = "";

    /// <summary>Identifies this process in the fleet; defaults to <c>{Node}-{machine}-{pid}</c>.</summary>
    public string GatewayId { get; set; } = "";

    public string ProxyUrl { get; set; } = "http://127.0.0.1:15001";

    public string AdminUrl { get; set; } = "http://127.0.0.1:19001";

    /// <summary>
    /// Where this gateway takes mTLS hops from the gateways of other nodes, e.g. https://127.0.0.1:16001;
    /// empty for none. Only requests carrying the hop headers, from a peer whose node certificate chains
    /// to the mesh CA, are taken there, and only for instances of this node.
    /// </summary>
    public string InboundUrl { get; set; } = "";

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

    public Uri? InboundUri => InboundUrl.Length == 0 ? null : new(InboundUrl);

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

    /// <summary>Where a join token is exchanged for the node's own token, on each portal URL in the order given.</summary>
    public IReadOnlyList<Uri> EnrollUris => [.. PortalUrls.Select(EnrollOf)];

    private static Uri EnrollOf(string portalUrl)
    {
        var portal = new UriBuilder(portalUrl);
        portal.Path = portal.Path.TrimEnd('/') + Shared.Fleet.FleetProtocol.EnrollPath;
        return portal.Uri;
    }

    /// <summary>The node token an enrollment got, kept across restarts.</summary>
    public string NodeTokenPath => Path.Combine(StateDirectory, "node-token");
}

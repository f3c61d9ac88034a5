using MeshPortal.Shared.Validation;

namespace MeshPortal.Shared.Fleet;

/// <summary>How traffic between nodes travels, as the portal pushes it to every gateway (<see cref="FleetProtocol.ApplyTransport"/>).</summary>
public sealed record TransportSettings
{
    /// <summary><see cref="TransportModes.Strict"/> or <see cref="TransportModes.Permissive"/>.</summary>
    public required string Mode { get; init; }

    /// <summary>Every node whose gateway listens for mTLS from its peers, one entry a node.</summary>
    public IReadOnlyList<PeerGateway> Peers { get; init; } = [];
}

/// <summary>Where the gateway of <see cref="Node"/> takes hops from other nodes.</summary>
public sealed record PeerGateway
{
    public required string Node { get; init; }
    public required string InboundUrl { get; init; }
}

public static class TransportModes
{
    /// <summary>Cross-node traffic only over mTLS: an instance on a node without a peer gateway is not called.</summary>
    public const string Strict = "strict";

    /// <summary>Over mTLS where the node has a peer gateway, else in plain straight to the instance (for migrating).</summary>
    public const string Permissive = "permissive";

    public static bool IsMode(string? value) => value is Strict or Permissive;
}

/// <summary>The bounds of the transport message and of a gateway's inbound URL, for the portal and the gateway alike.</summary>
public static class TransportLimits
{
    /// <summary>Nodes one message names; a fleet larger than this is beyond what one portal serves.</summary>
    public const int MaxPeers = 10_000;

    public const int MaxUrlLength = 300;

    public const string InboundUrlRule = "an https:// URL with a port and no path, at most 300 characters, such as https://127.0.0.1:16001";

    /// <summary>An https URL with a port and nothing after the authority: where a peer's hops go.</summary>
    public static bool IsInboundUrl(string? value) =>
        value is { Length: > 0 and <= MaxUrlLength }
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && !uri.IsDefaultPort
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    /// <summary>Why <paramref name="settings"/> cannot come from a real portal, or null when it can.</summary>
    public static string? Problem(TransportSettings? settings)
    {
        if (settings is null || !TransportModes.IsMode(settings.Mode) || settings.Peers is null)
        {
            return $"mode must be '{TransportModes.Strict}' or '{TransportModes.Permissive}' with a list of peers";
        }

        if (settings.Peers.Count > MaxPeers)
        {
            return $"{settings.Peers.Count} peers (at most {MaxPeers})";
        }

        var nodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var peer in settings.Peers)
        {
            if (peer is null || !NameRules.IsNodeName(peer.Node) || !IsInboundUrl(peer.InboundUrl) || !nodes.Add(peer.Node))
            {
                return $"a peer without a valid node name, with an inbound URL that is not {InboundUrlRule}, or a node named twice";
            }
        }

        return null;
    }
}

using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// What the portal last said about the transport: the mode and each node's inbound URL. Until it says
/// anything, strict with no peers: no request leaves the node in plain on a guess.
/// </summary>
internal sealed class PeerDirectory
{
    private volatile Snapshot _current = new(TransportModes.Strict, new Dictionary<string, string>(StringComparer.Ordinal));

    public string Mode => _current.Mode;

    public bool IsStrict => _current.Mode == TransportModes.Strict;

    /// <summary>The current mode and peers, as one immutable value for a translation.</summary>
    public Snapshot Current => _current;

    /// <summary>Takes <paramref name="settings"/> (already checked); false when nothing changed.</summary>
    public bool Set(TransportSettings settings)
    {
        var next = new Snapshot(settings.Mode, settings.Peers.ToDictionary(p => p.Node, p => p.InboundUrl, StringComparer.Ordinal));
        var current = _current;
        if (current.Mode == next.Mode && current.Inbound.Count == next.Inbound.Count
            && current.Inbound.All(p => next.Inbound.TryGetValue(p.Key, out var url) && url == p.Value))
        {
            return false;
        }

        _current = next;
        return true;
    }

    internal sealed record Snapshot(string Mode, IReadOnlyDictionary<string, string> Inbound)
    {
        public bool IsStrict => Mode == TransportModes.Strict;
    }
}

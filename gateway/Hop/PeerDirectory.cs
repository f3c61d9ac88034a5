using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// What the portal last said about the transport: the mode and each node's inbound URL. Until it says
/// anything, strict with no peers: no request leaves the node in plain on a guess.
/// </summary>
/// <remarks>
/// A node missing from a new list is kept for <see cref="Grace"/>: the portal lists only the gateways
/// connected to it, and a portal that restarts (or a gateway that reconnects) lists a partial fleet for
/// a moment. A flap of the control plane must not cut the data plane; a node that is really gone takes
/// its instances with it, and its hops fail as they would with no path.
/// </remarks>
internal sealed class PeerDirectory(TimeProvider time)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);
    private volatile Snapshot _current = new(TransportModes.Strict, new Dictionary<string, string>(StringComparer.Ordinal));

    public string Mode => _current.Mode;

    public bool IsStrict => _current.Mode == TransportModes.Strict;

    /// <summary>The current mode and peers, as one immutable value for a translation.</summary>
    public Snapshot Current => _current;

    /// <summary>Takes <paramref name="settings"/> (already checked); false when nothing changed.</summary>
    public bool Set(TransportSettings settings)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var current = _current;
            var inbound = settings.Peers.ToDictionary(p => p.Node, p => p.InboundUrl, StringComparer.Ordinal);
            foreach (var (node, url) in current.Inbound)
            {
                if (inbound.ContainsKey(node))
                {
                    _missingSince.Remove(node);
                    continue;
                }

                _missingSince.TryAdd(node, now);
                if (now - _missingSince[node] < Grace)
                {
                    inbound[node] = url;
                }
                else
                {
                    _missingSince.Remove(node);
                }
            }

            if (current.Mode == settings.Mode && current.Inbound.Count == inbound.Count
                && current.Inbound.All(p => inbound.TryGetValue(p.Key, out var url) && url == p.Value))
            {
                return false;
            }

            _current = new Snapshot(settings.Mode, inbound);
            return true;
        }
    }

    internal sealed record Snapshot(string Mode, IReadOnlyDictionary<string, string> Inbound)
    {
        public bool IsStrict => Mode == TransportModes.Strict;
    }
}

using System.Collections.Concurrent;

namespace MeshPortal.Gateway.Hop;

/// <summary>Hops counted by direction and peer node, for <c>mesh_gateway_hop_requests_total</c>; requests themselves are counted once, at the source.</summary>
internal sealed class HopMetrics
{
    public const string Out = "out";
    public const string In = "in";

    private readonly ConcurrentDictionary<(string Direction, string Peer), Counter> _hops = new();

    public IEnumerable<KeyValuePair<(string Direction, string Peer), Counter>> Hops => _hops;

    /// <summary>Peers are node names of the mesh (a certificate's or the portal's), so the label set stays as small as the fleet.</summary>
    public void Record(string direction, string peer) =>
        Interlocked.Increment(ref _hops.GetOrAdd((direction, peer), static _ => new Counter()).Value);

    internal sealed class Counter
    {
        public long Value;
    }
}

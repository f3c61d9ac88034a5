using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Hop;

/// <summary>How an instance is reached from this node.</summary>
internal abstract record HopPath
{
    /// <summary>Straight to the instance: it runs on this node (or names none), or permissive mode lets a hop-less node be called in plain.</summary>
    public sealed record Direct : HopPath;

    /// <summary>Through the gateway of the instance's node, over mTLS.</summary>
    public sealed record Peer(string InboundUrl) : HopPath;

    /// <summary>Not at all: strict mode, and the instance's node takes no hops.</summary>
    public sealed record None : HopPath;

    public static readonly HopPath DirectPath = new Direct();
    public static readonly HopPath NoPath = new None();
}

/// <summary>This node and what the portal said about the transport, applied to every instance of a translation.</summary>
internal sealed record HopPlan(string? Node, PeerDirectory.Snapshot Transport)
{
    /// <summary>No hops at all: every instance called directly (a gateway that knows no node, as in tests of the translation alone).</summary>
    public static HopPlan Direct { get; } = new(null, new PeerDirectory.Snapshot(Shared.Fleet.TransportModes.Permissive, new Dictionary<string, string>()));

    public HopPath PathTo(InstanceConfig instance)
    {
        if (Node is null || instance.Node.Length == 0 || instance.Node == Node)
        {
            return HopPath.DirectPath;
        }

        if (Transport.Inbound.TryGetValue(instance.Node, out var inbound))
        {
            return new HopPath.Peer(inbound);
        }

        return Transport.IsStrict ? HopPath.NoPath : HopPath.DirectPath;
    }
}

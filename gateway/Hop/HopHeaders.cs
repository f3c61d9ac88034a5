namespace MeshPortal.Gateway.Hop;

/// <summary>
/// What a source gateway tells the peer it hops to. Set only by the hop transform on requests to a
/// peer's inbound port; stripped from every request arriving at the proxy port, so a workload can never
/// forge them (and the peer takes them only from a gateway holding a node certificate of the mesh).
/// </summary>
internal static class HopHeaders
{
    /// <summary>The instance to call, as <c>service/subset/instance</c>.</summary>
    public const string Instance = "x-mesh-hop-instance";

    /// <summary>The caller as the source gateway verified it: a service known by its address, or <c>external</c>.</summary>
    public const string Source = "x-mesh-hop-source";

    /// <summary>Marks a health probe of the source's active health check: it is taken without a caller.</summary>
    public const string Probe = "x-mesh-hop-probe";

    /// <summary>Longest instance header: a service, a subset and an instance id, each a bounded name.</summary>
    public const int MaxInstanceLength = 63 + 1 + 63 + 1 + 253;

    public static string InstanceValue(string service, string subset, string instance) => $"{service}/{subset}/{instance}";

    public static void Strip(IHeaderDictionary headers)
    {
        headers.Remove(Instance);
        headers.Remove(Source);
        headers.Remove(Probe);
    }
}

using MeshPortal.Gateway.Split;

namespace MeshPortal.Gateway.Proxy;

/// <summary>What the mesh learned about one proxied request, for metrics and telemetry.</summary>
internal sealed class MeshRequestFeature(string source)
{
    public string Source { get; } = source;

    public string? RouteId { get; set; }

    public SplitBackend? Backend { get; set; }
}

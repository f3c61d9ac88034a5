using MeshPortal.Gateway.Retries;
using MeshPortal.Gateway.Split;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Proxy;

/// <summary>What the mesh learned about one proxied request, for its policies, metrics and telemetry.</summary>
internal sealed class MeshRequestFeature(Caller caller)
{
    public Caller Caller { get; } = caller;

    /// <summary>The name the graph draws the caller as (a header's label when its address told nothing).</summary>
    public string Source => Caller.Name;

    /// <summary>The backend's access policy refused the caller.</summary>
    public bool Denied { get; set; }

    public string? RouteId { get; set; }

    public SplitBackend? Backend { get; set; }

    /// <summary>Every usable instance of the backend the split chose (the load balancer may get fewer); retries pick among them.</summary>
    public IReadOnlyList<DestinationState>? Destinations { get; set; }

    /// <summary>The retry state, on routes with retries.</summary>
    public RetryAttempt? Retry { get; set; }
}

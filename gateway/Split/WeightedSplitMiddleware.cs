using MeshPortal.Gateway.Proxy;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Split;

/// <summary>
/// Runs in YARP's pipeline before load balancing: picks the route's backend by weight and narrows
/// the available destinations to that backend's instances, so the load balancer picks inside it.
/// </summary>
internal sealed class WeightedSplitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var split = context.GetEndpoint()?.Metadata.GetMetadata<RouteSplit>();
        if (split is null)
        {
            return next(context);
        }

        var backend = split.PickBackend();
        var mesh = context.Features.Get<MeshRequestFeature>();
        if (mesh is not null)
        {
            mesh.RouteId = split.RouteId;
            mesh.Backend = split.Backends[backend];
        }

        if (!split.IsSingleBackend)
        {
            var proxy = context.GetReverseProxyFeature();
            proxy.AvailableDestinations = split.Narrow(backend, proxy.AvailableDestinations, proxy.AllDestinations, out var group);
            mesh?.Destinations = group;
        }

        return next(context);
    }
}

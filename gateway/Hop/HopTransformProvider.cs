using MeshPortal.Gateway.Proxy;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// On every attempt that goes to a peer's inbound port, names the instance and the caller the source
/// verified in the hop headers, and counts the hop; other attempts go straight to the instance unchanged.
/// </summary>
internal sealed class HopTransformProvider(HopMetrics metrics) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(transform =>
    {
        var metadata = transform.HttpContext.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.Model.Config.Metadata;
        if (metadata?.GetValueOrDefault(ProxyConfigTranslator.HopNodeMetadataKey) is not { } node)
        {
            return default;
        }

        var headers = transform.ProxyRequest.Headers;
        headers.TryAddWithoutValidation(HopHeaders.Instance, HopHeaders.InstanceValue(
            metadata[ProxyConfigTranslator.ServiceMetadataKey], metadata[ProxyConfigTranslator.SubsetMetadataKey], metadata[ProxyConfigTranslator.InstanceMetadataKey]));
        headers.TryAddWithoutValidation(HopHeaders.Source, transform.HttpContext.Features.Get<MeshRequestFeature>()?.Caller.Principal ?? CallerDirectory.External);
        metrics.Record(HopMetrics.Out, node);
        return default;
    });
}

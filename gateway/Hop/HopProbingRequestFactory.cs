using System.Net;
using MeshPortal.Gateway.Proxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// Active health probes as YARP sends them, except that a probe of an instance on another node crosses
/// the hop like a request: to the peer's inbound port, naming the instance, marked as a probe.
/// </summary>
internal sealed class HopProbingRequestFactory : IProbingRequestFactory
{
    public HttpRequestMessage CreateRequest(ClusterModel cluster, DestinationModel destination)
    {
        var config = destination.Config;
        var active = cluster.Config.HealthCheck?.Active;
        var address = string.IsNullOrEmpty(config.Health) ? config.Address : config.Health;
        var uri = new Uri($"{address.TrimEnd('/')}{active?.Path}{active?.Query}");
        var request = new HttpRequestMessage(HttpMethod.Get, uri)
        {
            Version = cluster.Config.HttpRequest?.Version ?? HttpVersion.Version20,
            VersionPolicy = cluster.Config.HttpRequest?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
        };

        if (config.Metadata?.GetValueOrDefault(ProxyConfigTranslator.HopNodeMetadataKey) is { } node)
        {
            request.Headers.Host = node;
            request.Headers.TryAddWithoutValidation(HopHeaders.Instance, HopHeaders.InstanceValue(
                config.Metadata[ProxyConfigTranslator.ServiceMetadataKey], config.Metadata[ProxyConfigTranslator.SubsetMetadataKey],
                config.Metadata[ProxyConfigTranslator.InstanceMetadataKey]));
            request.Headers.TryAddWithoutValidation(HopHeaders.Probe, "1");
        }

        return request;
    }
}

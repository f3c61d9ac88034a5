using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Split;
using MeshPortal.Shared.Config;
using Yarp.ReverseProxy.Configuration;
using RouteConfig = Yarp.ReverseProxy.Configuration.RouteConfig;

namespace MeshPortal.Gateway.Proxy;

/// <summary>A mesh snapshot translated for YARP: one route and one cluster per mesh route.</summary>
internal sealed class ProxySnapshot(string revisionId, IReadOnlyList<TranslatedRoute> routes)
{
    public string RevisionId { get; } = revisionId;

    public IReadOnlyList<TranslatedRoute> Translated { get; } = routes;

    public IReadOnlyList<RouteConfig> Routes { get; } = [.. routes.Select(r => r.Route)];

    public IReadOnlyList<ClusterConfig> Clusters { get; } = [.. routes.Select(r => r.Cluster)];
}

/// <summary>
/// One mesh route for YARP, with what YARP cannot express: the weighted split, regex header matches
/// and the policies the gateway enforces itself.
/// </summary>
internal sealed record TranslatedRoute(
    RouteConfig Route, ClusterConfig Cluster, RouteSplit Split, IReadOnlyList<HeaderRegexRule> HeaderRegexes, RoutePolicies Policies, HopGaps? HopGaps = null);

using System.Runtime.CompilerServices;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Split;
using MeshPortal.Shared.Config;
using Yarp.ReverseProxy.Configuration;
using RouteConfig = Yarp.ReverseProxy.Configuration.RouteConfig;

namespace MeshPortal.Gateway.Proxy;

/// <summary>A mesh snapshot translated for YARP: one route and one cluster per mesh route.</summary>
internal sealed class ProxySnapshot(
    string revisionId, IReadOnlyList<TranslatedRoute> routes, IReadOnlyList<TranslationSource> sources, IReadOnlyList<TranslatedRoute> fresh)
{
    // What each route was translated from, by route id, for the next translation to take over.
    private readonly Dictionary<string, (TranslationSource Source, TranslatedRoute Route)> _byId = Index(sources, routes);

    public string RevisionId { get; } = revisionId;

    public IReadOnlyList<TranslatedRoute> Translated { get; } = routes;

    /// <summary>The routes translated anew, not taken over from the config served before: what YARP has not validated yet.</summary>
    public IReadOnlyList<TranslatedRoute> Fresh { get; } = fresh;

    public IReadOnlyList<RouteConfig> Routes { get; } = [.. routes.Select(r => r.Route)];

    public IReadOnlyList<ClusterConfig> Clusters { get; } = [.. routes.Select(r => r.Cluster)];

    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<string, (TranslationSource, TranslatedRoute)> Index(IReadOnlyList<TranslationSource> sources, IReadOnlyList<TranslatedRoute> routes)
    {
        var byId = new Dictionary<string, (TranslationSource, TranslatedRoute)>(sources.Count, StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            byId.TryAdd(sources[i].Route.Id, (sources[i], routes[i]));
        }

        return byId;
    }

    /// <summary>This snapshot's translation of the route <paramref name="source"/> describes, if it was translated from the same.</summary>
    public TranslatedRoute? Reusable(TranslationSource source) =>
        _byId.TryGetValue(source.Route.Id, out var served) && source.Matches(served.Source) ? served.Route : null;
}

/// <summary>
/// One mesh route for YARP, with what YARP cannot express: the weighted split, regex header matches
/// and the policies the gateway enforces itself.
/// </summary>
internal sealed record TranslatedRoute(
    RouteConfig Route, ClusterConfig Cluster, RouteSplit Split, IReadOnlyList<HeaderRegexRule> HeaderRegexes, RoutePolicies Policies, HopGaps? HopGaps = null);

/// <summary>
/// What one route was translated from: its mesh route, its position, its backends' services (null if unknown)
/// and the hop plan (this node, the mode and the peers) its instances were reached by.
/// </summary>
internal sealed record TranslationSource(Shared.Config.RouteConfig Route, int Position, IReadOnlyList<ServiceConfig?> Services, HopPlan Plan)
{
    /// <summary>Whether a translation of <paramref name="earlier"/> is one of this: every part the same instance.</summary>
    public bool Matches(TranslationSource earlier)
    {
        if (!ReferenceEquals(Route, earlier.Route) || Position != earlier.Position || Services.Count != earlier.Services.Count
            || Plan.Node != earlier.Plan.Node || !ReferenceEquals(Plan.Transport, earlier.Plan.Transport))
        {
            return false;
        }

        // A loop, not LINQ: this runs for every route of every config applied.
        for (var i = 0; i < Services.Count; i++)
        {
            if (!ReferenceEquals(Services[i], earlier.Services[i]))
            {
                return false;
            }
        }

        return true;
    }
}

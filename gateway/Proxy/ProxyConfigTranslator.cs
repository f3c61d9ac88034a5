using System.Runtime.CompilerServices;
using System.Text.Json;
using MeshPortal.Gateway.Health;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Split;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using Yarp.ReverseProxy.Configuration;
using MeshRoute = MeshPortal.Shared.Config.RouteConfig;
using YarpMatch = Yarp.ReverseProxy.Configuration.RouteMatch;
using YarpRoute = Yarp.ReverseProxy.Configuration.RouteConfig;

namespace MeshPortal.Gateway.Proxy;

/// <summary>Turns a validated mesh snapshot into YARP routes and clusters.</summary>
internal static class ProxyConfigTranslator
{
    public const string ServiceMetadataKey = "mesh.service";
    public const string SubsetMetadataKey = "mesh.subset";
    public const string InstanceMetadataKey = "mesh.instance";
    public const string OrderMetadataKey = "mesh.order";
    public const string SplitMetadataKey = "mesh.split";
    public const string LoadBalancingMetadataKey = "mesh.loadBalancing";
    public const string PoliciesMetadataKey = "mesh.policies";

    /// <summary>
    /// The route's hosts, comma-separated (a host name holds no comma): matched by <see cref="RouteHostMatcherPolicy"/>
    /// rather than YARP, and in the route's config so that a host change is a config change.
    /// </summary>
    public const string HostsMetadataKey = "mesh.hosts";

    /// <summary>On a destination reached through a peer gateway: the node the instance runs on.</summary>
    public const string HopNodeMetadataKey = "mesh.hop.node";

    /// <summary>On routes with instances strict mode left out: the nodes no mTLS path leads to, by backend.</summary>
    public const string HopGapsMetadataKey = "mesh.hop.gaps";

    /// <summary>On routes with a timeout: its milliseconds, put on the endpoint as <see cref="RouteTimeout"/>.</summary>
    public const string TimeoutMetadataKey = "mesh.timeoutMs";

    /// <summary>Present on routes that retry, so only their responses pass the retry transform.</summary>
    public const string RetriesMetadataKey = "mesh.retries";

    /// <summary>
    /// Translates <paramref name="snapshot"/> with every instance called directly, as by a gateway that knows of no peers.
    /// </summary>
    public static ProxySnapshot Translate(MeshSnapshot snapshot, ProxySnapshot? served = null) => Translate(snapshot, HopPlan.Direct, served);

    /// <summary>
    /// Translates <paramref name="snapshot"/>; an instance on another node is reached as <paramref name="plan"/> says:
    /// through its node's gateway, directly, or not at all. A route of <paramref name="served"/> whose mesh route,
    /// position, backend services and plan are the same instances as now is taken over as it was translated (the same
    /// YARP route and cluster objects, which YARP then keeps): a one-route change translates one route.
    /// </summary>
    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ProxySnapshot Translate(MeshSnapshot snapshot, HopPlan plan, ProxySnapshot? served = null)
    {
        var config = snapshot.Config.Normalize();
        var services = config.ServicesByName();
        var routes = new List<TranslatedRoute>(config.Routes.Count);
        var sources = new List<TranslationSource>(config.Routes.Count);
        var fresh = new List<TranslatedRoute>();
        for (var position = 0; position < config.Routes.Count; position++)
        {
            var route = config.Routes[position];
            var backendServices = new ServiceConfig?[route.Backends.Count];
            for (var i = 0; i < backendServices.Length; i++)
            {
                backendServices[i] = services.GetValueOrDefault(route.Backends[i].Service);
            }

            var source = new TranslationSource(route, position, backendServices, plan);
            if (served?.Reusable(source) is not { } translated)
            {
                translated = Translate(route, position, services, plan);
                fresh.Add(translated);
            }

            routes.Add(translated);
            sources.Add(source);
        }

        return new ProxySnapshot($"{snapshot.Revision}:{snapshot.Hash}", routes, sources, fresh);
    }

    private static TranslatedRoute Translate(MeshRoute route, int position, IReadOnlyDictionary<string, ServiceConfig> services, HopPlan plan)
    {
        var gaps = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var destinations = TranslateDestinations(route.Backends, services, plan, gaps);
        var backends = route.Backends.Select(b => new SplitBackend(b.Service, b.Subset, b.Weight)).ToList();
        var policies = route.Policies ?? new RoutePolicies();
        var loadBalancing = policies.LoadBalancing;
        var split = new RouteSplit(route.Id, backends, loadBalancing == LoadBalancingPolicies.RoundRobin);
        var regexes = route.Match.Headers.Where(h => h.Regex).Select(h => new HeaderRegexRule(h.Name, h.Value)).ToList();
        var yarpRoute = new YarpRoute
        {
            RouteId = route.Id,
            ClusterId = route.Id,

            // Normalised routes are sorted by (order, id): their position keeps that order and, being
            // unique, spares ASP.NET routing from reporting two equally ordered routes as ambiguous.
            Order = position,
            Match = TranslateMatch(route.Match),

            // The split and the policies live beside the route, so they must show in the route's config:
            // YARP keeps the old endpoint (and with it the old split and policies) for a route whose config compares equal.
            Metadata = RouteMetadata(route, backends, policies, gaps),
        };

        var clusterMetadata = new Dictionary<string, string>();
        HealthCheckTranslator.AddMetadata(policies, clusterMetadata);
        var cluster = new ClusterConfig
        {
            ClusterId = route.Id,
            LoadBalancingPolicy = loadBalancing,
            Destinations = destinations,
            HealthCheck = HealthCheckTranslator.Translate(policies),
            Metadata = clusterMetadata.Count > 0 ? clusterMetadata : null,
        };

        var hopGaps = gaps.Count > 0 ? new HopGaps(gaps.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Value], StringComparer.Ordinal)) : null;
        return new TranslatedRoute(yarpRoute, cluster, split, regexes, policies, hopGaps);
    }

    private static Dictionary<string, string> RouteMetadata(
        MeshRoute route, IReadOnlyList<SplitBackend> backends, RoutePolicies policies, SortedDictionary<string, SortedSet<string>> gaps)
    {
        var metadata = new Dictionary<string, string>
        {
            [OrderMetadataKey] = route.Order.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SplitMetadataKey] = string.Join(',', backends),
            [LoadBalancingMetadataKey] = policies.LoadBalancing,
            [PoliciesMetadataKey] = JsonSerializer.Serialize(policies, MeshJson.Options),
        };

        if (route.Match.Hosts.Count > 0)
        {
            metadata[HostsMetadataKey] = string.Join(',', route.Match.Hosts);
        }

        if (policies.Retries is { Attempts: > 0 })
        {
            metadata[RetriesMetadataKey] = "true";
        }

        if (policies.TimeoutMs is { } timeout)
        {
            metadata[TimeoutMetadataKey] = timeout.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // On the route's config, so a change of the gaps alone gives the route a new endpoint with the new gaps.
        if (gaps.Count > 0)
        {
            metadata[HopGapsMetadataKey] = string.Join(';', gaps.Select(g => $"{g.Key}={string.Join(',', g.Value)}"));
        }

        return metadata;
    }

    private static YarpMatch TranslateMatch(Shared.Config.RouteMatch match) => new()
    {
        Path = match.PathPrefix is { } prefix ? $"{prefix.TrimEnd('/')}/{{**catch-all}}" : "/{**catch-all}",
        Methods = match.Methods.Count > 0 ? match.Methods : null,
        Headers = match.Headers.Count > 0
            ? [.. match.Headers.Select(h => h.Regex
                ? new RouteHeader { Name = h.Name, Mode = HeaderMatchMode.Exists }
                : new RouteHeader { Name = h.Name, Values = [h.Value], Mode = HeaderMatchMode.ExactHeader, IsCaseSensitive = true })]
            : null,
    };

    private static Dictionary<string, DestinationConfig> TranslateDestinations(
        IReadOnlyList<BackendRef> backends, IReadOnlyDictionary<string, ServiceConfig> services, HopPlan plan, SortedDictionary<string, SortedSet<string>> gaps)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < backends.Count; i++)
        {
            var backend = backends[i];
            var instances = services.GetValueOrDefault(backend.Service)?.FindSubset(backend.Subset)?.Instances ?? [];
            foreach (var instance in instances)
            {
                var metadata = new Dictionary<string, string>
                {
                    [RouteSplit.BackendMetadataKey] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [ServiceMetadataKey] = backend.Service,
                    [SubsetMetadataKey] = backend.Subset,
                    [InstanceMetadataKey] = instance.Id,
                };
                var destination = new DestinationConfig { Address = instance.Address, Metadata = metadata };
                switch (plan.PathTo(instance))
                {
                    case HopPath.Peer peer:
                        // The destination stays the instance (its id, health and breaker state); only the way there changes.
                        metadata[HopNodeMetadataKey] = instance.Node;
                        destination = destination with { Address = peer.InboundUrl, Host = instance.Node };
                        break;
                    case HopPath.None:
                        var key = $"{backend.Service}/{backend.Subset}";
                        if (!gaps.TryGetValue(key, out var nodes))
                        {
                            gaps[key] = nodes = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        nodes.Add(instance.Node);
                        continue;
                }

                destinations[$"{backend.Service}/{backend.Subset}/{instance.Id}"] = destination;
            }
        }

        return destinations;
    }
}

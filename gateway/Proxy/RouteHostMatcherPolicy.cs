using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace MeshPortal.Gateway.Proxy;

/// <summary>Endpoint metadata: the hosts a route matches (<c>name</c> or <c>name:port</c>); none means any host.</summary>
internal sealed record RouteHosts(IReadOnlyList<string> Hosts);

/// <summary>
/// Matches routes by host with one dictionary lookup per request, in place of ASP.NET's host policy
/// (the translator leaves hosts out of YARP's match and puts them here). ASP.NET's policy pairs every
/// endpoint with every host while it builds the matcher, which is quadratic: at 1,000 routes it was most of
/// the time YARP took to apply any change. Semantics are those of exact hosts there: case-insensitive,
/// a host without a port matches any port, a request without a port has its scheme's.
/// </summary>
internal sealed class RouteHostMatcherPolicy : MatcherPolicy, INodeBuilderPolicy, IEndpointComparerPolicy
{
    // Where ASP.NET's host policy runs: before the method and header policies.
    public override int Order => -100;

    public IComparer<Endpoint> Comparer { get; } = Comparer<Endpoint>.Create(static (x, y) => HasHosts(y).CompareTo(HasHosts(x)));

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Any(HasHosts);

    public IReadOnlyList<PolicyNodeEdge> GetEdges(IReadOnlyList<Endpoint> endpoints)
    {
        // One edge per host (and port) named; an endpoint goes to the edges its hosts match, and one
        // without hosts to every edge and the edge of requests no host matches.
        var edges = new Dictionary<HostKey, List<Endpoint>>();
        var ports = new Dictionary<string, List<HostKey>>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints)
        {
            foreach (var key in KeysOf(endpoint))
            {
                if (edges.TryAdd(key, []))
                {
                    ports.TryAdd(key.Host, []);
                    ports[key.Host].Add(key);
                }
            }
        }

        var anyHost = new List<Endpoint>();
        var added = new HashSet<HostKey>();
        foreach (var endpoint in endpoints)
        {
            if (!HasHosts(endpoint))
            {
                anyHost.Add(endpoint);
                foreach (var list in edges.Values)
                {
                    list.Add(endpoint);
                }

                continue;
            }

            added.Clear();
            foreach (var key in KeysOf(endpoint))
            {
                // A host without a port stands for the host at every port named elsewhere.
                foreach (var target in key.Port is null ? ports[key.Host] : [key])
                {
                    if (added.Add(target))
                    {
                        edges[target].Add(endpoint);
                    }
                }
            }
        }

        return [.. edges.Select(e => new PolicyNodeEdge(e.Key, e.Value)), new PolicyNodeEdge(HostKey.None, anyHost)];
    }

    public PolicyJumpTable BuildJumpTable(int exitDestination, IReadOnlyList<PolicyJumpTableEdge> edges)
    {
        var destinations = new Dictionary<HostKey, int>();
        var none = exitDestination;
        foreach (var edge in edges)
        {
            var key = (HostKey)edge.State;
            if (key == HostKey.None)
            {
                none = edge.Destination;
            }
            else
            {
                destinations[key] = edge.Destination;
            }
        }

        return new HostJumpTable(destinations, none);
    }

    private static bool HasHosts(Endpoint endpoint) => endpoint.Metadata.GetMetadata<RouteHosts>() is { Hosts.Count: > 0 };

    private static IEnumerable<HostKey> KeysOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RouteHosts>()?.Hosts.Select(HostKey.Parse) ?? [];

    private sealed class HostJumpTable(Dictionary<HostKey, int> destinations, int none) : PolicyJumpTable
    {
        public override int GetDestination(HttpContext httpContext) => HostKey.Lookup(httpContext.Request, destinations, none);
    }
}

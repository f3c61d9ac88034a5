using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Gateway.Proxy;

/// <summary>What <see cref="ProxyRouteTable.Match"/> found: an endpoint, or a 404 or 405 (with its Allow header).</summary>
internal readonly record struct ProxyRouteMatch(Endpoint? Endpoint, int Status, string? Allow = null);

/// <summary>
/// The proxy's routes by host, each list in route order, to select a request's endpoint without ASP.NET's
/// matcher, which is rebuilt over every route at every change. The selection is ASP.NET routing's with
/// YARP's endpoints and this gateway's policies: among the routes of the request's host (<see cref="HostKey.Lookup"/>,
/// as <see cref="RouteHostMatcherPolicy"/>) and those of any host, the first in order whose path, method and
/// headers match; else 405 when every route of the path names methods and none the request's (ASP.NET's method
/// policy decides this before hosts are looked at), else 404.
/// </summary>
internal sealed class ProxyRouteTable
{
    private readonly Dictionary<HostKey, List<ProxyRoute>> _byHost;
    private static readonly List<ProxyRoute> NoRoutes = [];

    private readonly ProxyRoute[] _anyHost;
    private readonly ProxyRoute[] _all;
    private readonly bool _namesMethods;


    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ProxyRouteTable(IReadOnlyList<IReadOnlyList<Endpoint>> sources, ProxyRoute[] all)
    {
        Array.Sort(all, static (x, y) => x.Order.CompareTo(y.Order));
        Sources = sources;
        _all = all;

        // Filled in order, so each host's list is in order. A host without a port stands for that host at
        // every port some route names, as in RouteHostMatcherPolicy.
        var ports = new Dictionary<string, List<HostKey>>(StringComparer.OrdinalIgnoreCase);
        _byHost = new Dictionary<HostKey, List<ProxyRoute>>(all.Length);
        foreach (var route in all)
        {
            foreach (var key in route.Hosts)
            {
                if (_byHost.TryAdd(key, []) && key.Port is not null)
                {
                    (CollectionsMarshal.GetValueRefOrAddDefault(ports, key.Host, out _) ??= []).Add(key);
                }
            }
        }

        var anyHost = new List<ProxyRoute>();
        foreach (var route in all)
        {
            _namesMethods |= route.Methods is not null;
            if (route.Hosts.Count == 0)
            {
                anyHost.Add(route);
            }

            foreach (var key in route.Hosts)
            {
                Add(_byHost[key], route);
                if (key.Port is null && ports.TryGetValue(key.Host, out var atPorts))
                {
                    foreach (var port in atPorts)
                    {
                        Add(_byHost[port], route);
                    }
                }
            }
        }

        _anyHost = [.. anyHost];
    }

    // A route naming a host twice (or at a port and at any port) is listed once.
    private static void Add(List<ProxyRoute> routes, ProxyRoute route)
    {
        if (routes.Count == 0 || routes[^1] != route)
        {
            routes.Add(route);
        }
    }

    public static ProxyRouteTable Empty { get; } = new([], []);

    /// <summary>The endpoint lists this table was built from.</summary>
    public IReadOnlyList<IReadOnlyList<Endpoint>> Sources { get; }

    /// <summary>
    /// The table of <paramref name="sources"/>' endpoints, or null when ASP.NET routing must match them: some endpoint
    /// is of a kind <see cref="ProxyRoute"/> does not know, or two share an order (ASP.NET would then rank them further).
    /// An endpoint <paramref name="previous"/> holds is taken over as it was read: YARP keeps the endpoints of unchanged routes.
    /// </summary>
    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ProxyRouteTable? Build(IReadOnlyList<IReadOnlyList<Endpoint>> sources, ProxyRouteTable? previous)
    {
        // Sized up front: the table is built again at every config applied, over every route.
        var known = new Dictionary<Endpoint, ProxyRoute>(previous?._all.Length ?? 0);
        foreach (var route in previous?._all ?? [])
        {
            known.TryAdd(route.Endpoint, route);
        }

        var count = sources.Sum(s => s.Count);
        var routes = new List<ProxyRoute>(count);
        var orders = new HashSet<int>(count);
        foreach (var endpoint in sources.SelectMany(s => s))
        {
            var route = known.TryGetValue(endpoint, out var read) ? read : ProxyRoute.From(endpoint);
            if (route is null || !orders.Add(route.Order))
            {
                return null;
            }

            routes.Add(route);
        }

        return new ProxyRouteTable(sources, [.. routes]);
    }

    public ProxyRouteMatch Match(HttpRequest request)
    {
        // The host's routes and those of any host, merged in order.
        var host = HostKey.Lookup(request, _byHost, NoRoutes);
        var (h, a) = (0, 0);
        while (h < host.Count || a < _anyHost.Length)
        {
            var route = a == _anyHost.Length || (h < host.Count && host[h].Order < _anyHost[a].Order) ? host[h++] : _anyHost[a++];
            if (route.Matches(request))
            {
                return new ProxyRouteMatch(route.Endpoint, StatusCodes.Status200OK);
            }
        }

        return _namesMethods && MethodNotAllowed(request) is { } allow
            ? new ProxyRouteMatch(null, StatusCodes.Status405MethodNotAllowed, allow)
            : new ProxyRouteMatch(null, StatusCodes.Status404NotFound);
    }

    /// <summary>The Allow header of a 405: some route has the path, each names methods, none the request's; else null.</summary>
    private string? MethodNotAllowed(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var methods = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in _all)
        {
            if (!route.MatchesPath(path))
            {
                continue;
            }

            if (route.Methods is null || route.AcceptsMethod(request.Method))
            {
                return null;
            }

            methods.UnionWith(route.Methods);
        }

        return methods.Count > 0 ? string.Join(", ", methods) : null;
    }
}

using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Links each YARP route config to the parts of its mesh route YARP cannot hold, and puts them on the
/// route's endpoint as metadata when YARP builds it.
/// </summary>
/// <remarks>
/// Keyed by config instance, weakly: YARP keeps the config of a live endpoint, so a binding lives
/// exactly as long as some endpoint (and the requests in flight on it) can still use it.
/// </remarks>
internal sealed class RouteBindings
{
    private readonly ConditionalWeakTable<RouteConfig, Binding> _bindings = [];

    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bind(ProxySnapshot snapshot, IReadOnlyDictionary<string, RouteHandlers> handlers)
    {
        foreach (var route in snapshot.Translated)
        {
            _bindings.AddOrUpdate(route.Route, new Binding(route, handlers[route.Route.RouteId]));
        }
    }

    public void Apply(IEndpointConventionBuilder endpoint, RouteConfig route)
    {
        // From the route's own config, bound or not: a route must never lose its hosts (and match any) or its timeout.
        if (route.Metadata?.GetValueOrDefault(ProxyConfigTranslator.HostsMetadataKey) is { Length: > 0 } hosts)
        {
            endpoint.WithMetadata(new RouteHosts(hosts.Split(',')));
        }

        if (route.Metadata?.GetValueOrDefault(ProxyConfigTranslator.TimeoutMetadataKey) is { } timeoutMs)
        {
            endpoint.WithMetadata(new RouteTimeout(TimeSpan.FromMilliseconds(int.Parse(timeoutMs, System.Globalization.CultureInfo.InvariantCulture))));
        }

        if (!_bindings.TryGetValue(route, out var bound))
        {
            return;
        }

        endpoint.WithMetadata(bound.Route.Split);
        if (bound.Route.HeaderRegexes.Count > 0)
        {
            endpoint.WithMetadata(new HeaderRegexMetadata(bound.Route.HeaderRegexes));
        }

        foreach (var handler in new object?[] { bound.Handlers.RateLimit, bound.Handlers.Fault, bound.Handlers.Retries, bound.Route.HopGaps })
        {
            if (handler is not null)
            {
                endpoint.WithMetadata(handler);
            }
        }
    }

    private sealed record Binding(TranslatedRoute Route, RouteHandlers Handlers);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Keeps the <see cref="ProxyRouteTable"/> of the proxy's endpoints (YARP's), built again when YARP swaps in
/// new endpoints, reusing what it read of the endpoints YARP kept. Null when ASP.NET routing must match them.
/// </summary>
internal sealed class ProxyRouteSelector
{
    private readonly Lock _building = new();
    private IReadOnlyList<EndpointDataSource> _sources = [];
    private volatile Indexed _indexed = new([], null);

    /// <summary>Follows <paramref name="sources"/> (the app's, once the proxy is mapped): the table is built when they change.</summary>
    public void Watch(IEnumerable<EndpointDataSource> sources)
    {
        _sources = [.. sources];
        foreach (var source in _sources)
        {
            // Built as the swap happens rather than on the first request after it.
            ChangeToken.OnChange(source.GetChangeToken, () => Current());
        }
    }

    /// <summary>The table of the endpoints served now, or null when ASP.NET routing must match them.</summary>
    public ProxyRouteTable? Current()
    {
        var indexed = _indexed;
        if (IsCurrent(indexed))
        {
            return indexed.Table;
        }

        // Read once outside the lock: the first read makes YARP create its endpoints under its own lock, and
        // YARP signals a change (which builds here) while holding that lock.
        foreach (var source in _sources)
        {
            _ = source.Endpoints;
        }

        lock (_building)
        {
            indexed = _indexed;
            if (!IsCurrent(indexed))
            {
                // YARP publishes its new endpoint list before it signals the change: the lists read now are the newest.
                IReadOnlyList<IReadOnlyList<Endpoint>> endpoints = [.. _sources.Select(s => s.Endpoints)];
                indexed = new Indexed(endpoints, ProxyRouteTable.Build(endpoints, indexed.Table));
                _indexed = indexed;
            }

            return indexed.Table;
        }
    }

    private bool IsCurrent(Indexed indexed)
    {
        if (indexed.Sources.Count != _sources.Count)
        {
            return false;
        }

        for (var i = 0; i < _sources.Count; i++)
        {
            if (!ReferenceEquals(indexed.Sources[i], _sources[i].Endpoints))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Indexed(IReadOnlyList<IReadOnlyList<Endpoint>> Sources, ProxyRouteTable? Table);
}

/// <summary>
/// Selects the proxy request's endpoint from <see cref="ProxyRouteSelector"/>'s table before UseRouting, which then
/// skips matching: ASP.NET's matcher is never built, nor rebuilt over every route at each config change. Requests no
/// route serves end here with 404 (or 405), as they would after routing.
/// </summary>
internal sealed class ProxyRouteMiddleware(RequestDelegate next, ProxyRouteSelector selector)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (selector.Current() is not { } table)
        {
            return next(context);
        }

        var match = table.Match(context.Request);
        if (match.Endpoint is { } endpoint)
        {
            context.SetEndpoint(endpoint);
            return next(context);
        }

        context.Response.StatusCode = match.Status;
        if (match.Allow is { } allow)
        {
            context.Response.Headers.Allow = allow;
        }

        return Task.CompletedTask;
    }
}

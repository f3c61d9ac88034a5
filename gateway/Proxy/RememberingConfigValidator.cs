using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// YARP's config validator, remembering the route and cluster configs it passed. YARP validates every
/// route and cluster of a config on every change; the translator hands over the same (immutable) config
/// objects for routes that did not change, so only the changed ones are validated again.
/// </summary>
internal sealed class RememberingConfigValidator(IConfigValidator inner) : IConfigValidator
{
    private readonly ConditionalWeakTable<object, object> _valid = [];

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route) =>
        _valid.TryGetValue(route, out _) ? [] : Remember(route, await inner.ValidateRouteAsync(route));

    public async ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) =>
        _valid.TryGetValue(cluster, out _) ? [] : Remember(cluster, await inner.ValidateClusterAsync(cluster));

    private IList<Exception> Remember(object config, IList<Exception> errors)
    {
        if (errors.Count == 0)
        {
            _valid.AddOrUpdate(config, config);
        }

        return errors;
    }
}

using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Health;

/// <summary>
/// Reports each exchange of a route with a circuit breaker to <see cref="CircuitBreakerPolicy"/>. It
/// stands in for YARP's passive health middleware, which wraps every request in an async step even
/// on routes without passive checks; here those routes pass straight through.
/// </summary>
internal sealed class CircuitBreakerMiddleware(RequestDelegate next, CircuitBreakerPolicy breaker)
{
    public Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        return proxy.Cluster.Config.HealthCheck?.Passive is { Enabled: true } ? JudgeAsync(context, proxy) : next(context);
    }

    private async Task JudgeAsync(HttpContext context, IReverseProxyFeature proxy)
    {
        await next(context);
        if (proxy.ProxiedDestination is { } destination && proxy.Route.Cluster is { } cluster)
        {
            breaker.RequestProxied(context, cluster, destination);
        }
    }
}

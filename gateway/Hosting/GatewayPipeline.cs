using MeshPortal.Gateway.Access;
using MeshPortal.Gateway.Admin;
using MeshPortal.Gateway.Faults;
using MeshPortal.Gateway.Health;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.RateLimit;
using MeshPortal.Gateway.Retries;
using MeshPortal.Gateway.Split;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Hosting;

internal static class GatewayPipeline
{
    /// <summary>
    /// Requests are told apart by the port they arrived on: the admin port answers only the admin
    /// endpoints, the inbound port only hops from peer gateways, the proxy port only proxies.
    /// </summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var adminPort = options.AdminUri.Port;
        var admin = app.Services.GetRequiredService<AdminEndpoints>();
        app.MapWhen(context => context.Connection.LocalPort == adminPort, branch => branch.Run(admin.HandleAsync));
        if (options.InboundUri is { Port: var inboundPort })
        {
            // Peer gateways only (the handshake demanded a node certificate): hops to this node's instances, nothing else.
            var inbound = app.Services.GetRequiredService<InboundHop>();
            app.MapWhen(context => context.Connection.LocalPort == inboundPort, branch => branch.Run(inbound.HandleAsync));
        }

        app.UseMiddleware<MeshRequestMiddleware>();
        app.UseMiddleware<ProxyRouteMiddleware>();
        app.UseRouting();
        var bindings = app.Services.GetRequiredService<RouteBindings>();
        // Each policy's middleware finds its settings on the route's endpoint and passes the request
        // straight on when the route has none. The order matters: the split picks the backend first (so
        // denied, refused and faulted requests still count against it), a retry stays in that backend and is
        // balanced again, and every attempt is judged by the circuit breaker (passive health).
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<RouteTimeoutMiddleware>();
            proxy.UseMiddleware<WeightedSplitMiddleware>();
            proxy.UseMiddleware<AccessMiddleware>();
            proxy.UseMiddleware<NoPathMiddleware>();
            proxy.UseMiddleware<RateLimitMiddleware>();
            proxy.UseMiddleware<FaultInjectionMiddleware>();
            proxy.UseMiddleware<RetryMiddleware>();
            proxy.UseLoadBalancing();
            proxy.UseMiddleware<CircuitBreakerMiddleware>();
        }).ConfigureEndpoints((endpoint, route) => bindings.Apply(endpoint, route));
        app.Services.GetRequiredService<ProxyRouteSelector>().Watch(((IEndpointRouteBuilder)app).DataSources);
        return app;
    }
}

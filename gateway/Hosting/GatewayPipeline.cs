using MeshPortal.Gateway.Admin;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Split;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Hosting;

internal static class GatewayPipeline
{
    /// <summary>
    /// Requests are told apart by the port they arrived on: the admin port answers only the admin
    /// endpoints, every other port only proxies.
    /// </summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        var adminPort = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.AdminUri.Port;
        var admin = app.Services.GetRequiredService<AdminEndpoints>();
        app.MapWhen(context => context.Connection.LocalPort == adminPort, branch => branch.Run(admin.HandleAsync));

        app.UseMiddleware<MeshRequestMiddleware>();
        app.UseRouting();
        app.UseRequestTimeouts();
        var bindings = app.Services.GetRequiredService<RouteBindings>();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<TimeoutStatusMiddleware>();
            proxy.UseMiddleware<WeightedSplitMiddleware>();
            proxy.UseLoadBalancing();
        }).ConfigureEndpoints((endpoint, route) => bindings.Apply(endpoint, route));
        return app;
    }
}

using MeshPortal.Gateway.Admin;
using MeshPortal.Gateway.Fleet;
using MeshPortal.Gateway.Health;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Identity;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Retries;
using MeshPortal.Gateway.State;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Observability;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace MeshPortal.Gateway.Hosting;

internal static class GatewayServices
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateOnStart();
        services.AddSingleton<GatewayOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<GatewayOptions>>(sp => sp.GetRequiredService<GatewayOptionsSetup>());
        services.AddSingleton<IValidateOptions<GatewayOptions>>(sp => sp.GetRequiredService<GatewayOptionsSetup>());
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>, NodeCertificates, TimeProvider>((kestrel, gateway, certificates, time) =>
        {
            Listeners.Listen(kestrel, gateway.Value.ProxyUri);
            Listeners.Listen(kestrel, gateway.Value.AdminUri);
            if (gateway.Value.InboundUri is { } inbound)
            {
                InboundListener.Listen(kestrel, inbound, certificates, time);
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(Backoff.Default);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<TrafficAggregator>();
        services.AddSingleton<AppliedConfig>();
        services.AddSingleton(sp => new LastKnownGoodStore(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.StateDirectory));
        services.AddSingleton<LastKnownGoodWriter>();
        services.AddSingleton<ReplacedConfigCollector>();
        services.AddSingleton<ConfigApplier>();
        services.AddSingleton<RouteBindings>();
        services.AddSingleton<ProxyRouteSelector>();
        services.AddSingleton<RouteHandlersBuilder>();
        services.AddSingleton<MeshProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<MeshProxyConfigProvider>());
        services.AddSingleton<MatcherPolicy, HeaderRegexMatcherPolicy>();
        services.AddSingleton<MatcherPolicy, RouteHostMatcherPolicy>();
        // Registered with YARP too: its config validation wants the passive policy a cluster names to exist.
        services.AddSingleton<CircuitBreakerPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy>(sp => sp.GetRequiredService<CircuitBreakerPolicy>());
        services.AddReverseProxy().AddTransforms<RetryTransformProvider>().AddTransforms<HopTransformProvider>();
        RememberProxyValidation(services);

        // Hops between nodes: one pooled mTLS client per cluster, probes that cross the hop, and the inbound side.
        services.AddSingleton<PeerDirectory>();
        services.AddSingleton<HopMetrics>();
        services.AddSingleton<IForwarderHttpClientFactory, HopHttpClientFactory>();
        services.AddSingleton<IProbingRequestFactory, HopProbingRequestFactory>();
        services.AddSingleton<InboundHop>();
        services.AddSingleton<TransportUpdates>();

        // Before the fleet client: hosted services stop in reverse, so the last config it applied is written.
        services.AddHostedService(sp => sp.GetRequiredService<LastKnownGoodWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<ReplacedConfigCollector>());
        services.AddSingleton<PortalTrust>();
        services.AddSingleton<GatewayCredential>();
        services.AddSingleton<NodeCertificates>();
        services.AddSingleton(sp => new IdentityFile(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.StateDirectory, sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Node));
        services.AddSingleton<CertificateRenewer>();
        services.AddSingleton<FleetClient>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetClient>());
        services.AddHostedService<TelemetryPublisher>();

        // Spans continue the caller's traceparent; YARP passes the context on to the instance.
        services.AddOtlpExport(builder.Configuration, "meshportal-gateway");

        services.AddSingleton<PrometheusWriter>();
        services.AddSingleton<AdminEndpoints>();
        services.AddSingleton(sp => new AdminHostRule(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.AdminHosts));
        return builder;
    }

    /// <summary>Wraps YARP's config validator in <see cref="RememberingConfigValidator"/> (the gateway's own checks use the same one).</summary>
    private static void RememberProxyValidation(IServiceCollection services)
    {
        var yarp = services.Last(d => d.ServiceType == typeof(IConfigValidator));
        services.Remove(yarp);
        services.AddSingleton<IConfigValidator>(sp => new RememberingConfigValidator(
            (IConfigValidator)ActivatorUtilities.CreateInstance(sp, yarp.ImplementationType!)));
    }
}

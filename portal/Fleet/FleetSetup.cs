using System.Threading.RateLimiting;
using MeshPortal.Portal.Api;
using MeshPortal.Portal.Security.Ca;
using MeshPortal.Portal.Telemetry;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Fleet;

public static class FleetSetup
{
    /// <summary>The fleet channel: registry, telemetry, config pushes and token revocation checks.</summary>
    public static IServiceCollection AddFleet(this IServiceCollection services)
    {
        services.AddOptions<FleetOptions>().BindConfiguration(FleetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GatewayRegistry>();
        services.AddSingleton<FleetMetricsWriter>();
        services.AddSingleton<FleetConnections>();
        services.AddSingleton<TelemetryStore>();
        services.AddHostedService<ConfigBroadcaster>();
        services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TransportBroadcaster>();
        services.AddHostedService(sp => sp.GetRequiredService<TransportBroadcaster>());
        services.AddHostedService<TokenRevocationWatcher>();
        services.AddHostedService<FleetStateShare>();
        services.AddSingleton<TelemetryRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryRelay>());
        services.AddSingleton<NodeEnrollment>();
        services.AddOptions<MeshCaOptions>().BindConfiguration(MeshCaOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MeshCaOptions>, MeshCaOptionsValidation>();
        services.AddSingleton<MeshCa>();
        services.AddSingleton<CertificateDesk>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(EnrollmentApi.RateLimitPolicy, http =>
            {
                var fleet = http.RequestServices.GetRequiredService<IOptions<FleetOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = fleet.EnrollmentBurst,
                    TokensPerPeriod = fleet.EnrollmentsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    /// <summary>Only the fleet hub gets the fleet's message limit; the Blazor circuit keeps its own.</summary>
    public static ISignalRServerBuilder AddFleetHubOptions(this ISignalRServerBuilder signalR)
    {
        // AddHubOptions first copies the global hub options; this runs after it and overrides the limit.
        signalR.AddHubOptions<FleetHub>(_ => { });
        signalR.Services.AddOptions<HubOptions<FleetHub>>()
            .Configure<IOptions<FleetOptions>>((hub, fleet) => hub.MaximumReceiveMessageSize = fleet.Value.MaxMessageBytes);
        return signalR;
    }
}

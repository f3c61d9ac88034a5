using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MeshPortal.Shared.Observability;

/// <summary>
/// Traces and metrics over OTLP, switched on the standard way (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// with the other <c>OTEL_*</c> variables read by the SDK). Without an endpoint nothing is
/// registered, so a process that does not export pays nothing for it.
/// </summary>
public static class OtlpExport
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The meters .NET itself publishes for a web host: requests, connections, outgoing calls, GC.</summary>
    private static readonly string[] PlatformMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime"];

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[EndpointVariable]);

    /// <param name="serviceName">The default <c>service.name</c>; <c>OTEL_SERVICE_NAME</c> overrides it.</param>
    /// <param name="sources">Activity sources of the process's own, besides incoming and outgoing HTTP.</param>
    public static IServiceCollection AddOtlpExport(
        this IServiceCollection services, IConfiguration configuration, string serviceName, params string[] sources)
    {
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource(sources))
            .WithMetrics(m => m.AddMeter(PlatformMeters))
            .UseOtlpExporter();
        return services;
    }
}

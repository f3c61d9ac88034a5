using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Fleet;
using MeshPortal.Shared.Observability;

namespace MeshPortal.Portal.Api;

public static class MetricsApi
{
    /// <summary>
    /// <c>GET /metrics</c> in Prometheus text. It names every node, so it takes the read role like
    /// the API (Prometheus sends an API key as a bearer token) rather than being open to whoever reaches the portal.
    /// </summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (FleetMetricsWriter writer) => Results.Text(writer.Write(), PrometheusText.ContentType))
            .RequireAuthorization(Policies.Read);
        return app;
    }
}

using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Telemetry;

namespace MeshPortal.Portal.Api;

public static class TopologyApi
{
    public static IEndpointRouteBuilder MapTopologyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/topology", IResult (int? window, TelemetryStore telemetry, MeshStateCache cache) =>
        {
            var seconds = window ?? 60;
            if (seconds < 1 || seconds > TelemetryStore.Retention.TotalSeconds)
            {
                return Problems.Field("window", $"must be between 1 and {TelemetryStore.Retention.TotalSeconds} seconds, got {seconds}");
            }

            return new GeneratedJsonResult<TopologyGraph>(telemetry.Graph(cache.State.ToConfig(), seconds), TopologyJson.Default.TopologyGraph);
        }).RequireAuthorization(Policies.Read);
        return app;
    }
}

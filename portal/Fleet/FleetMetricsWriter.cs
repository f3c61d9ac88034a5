using System.Text;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Observability;

namespace MeshPortal.Portal.Fleet;

/// <summary>The portal's own metrics, as a platform team scrapes them: the head revision and where the fleet stands against it.</summary>
public sealed class FleetMetricsWriter(MeshStateCache cache, GatewayRegistry registry)
{
    public string Write()
    {
        var text = new StringBuilder();
        PrometheusText.Gauge(text, "mesh_portal_head_revision", "Revision of the newest mesh config.", cache.Revision);

        var gateways = registry.List();
        PrometheusText.Header(text, "mesh_portal_gateways", "gauge", "Gateways this replica knows, by sync state.");
        foreach (var state in Enum.GetValues<GatewaySyncState>())
        {
            text.Append("mesh_portal_gateways{state=\"").Append(state.ToString().ToLowerInvariant()).Append("\"} ")
                .Append(gateways.Count(g => g.State == state)).Append('\n');
        }

        PrometheusText.Header(text, "mesh_portal_gateway_applied_revision", "gauge", "Revision each connected gateway has applied.");
        foreach (var gateway in gateways.Where(g => g.State != GatewaySyncState.Disconnected))
        {
            text.Append("mesh_portal_gateway_applied_revision{node=\"").Append(PrometheusText.Escape(gateway.Node))
                .Append("\",gateway_id=\"").Append(PrometheusText.Escape(gateway.GatewayId)).Append("\"} ")
                .Append(gateway.AppliedRevision).Append('\n');
        }

        if (registry.Convergences() is [var last, ..])
        {
            PrometheusText.Gauge(text, "mesh_portal_last_convergence_seconds",
                "Time from commit until every connected gateway had applied the newest converged revision.", last.Milliseconds / 1000);
        }

        return text.ToString();
    }
}

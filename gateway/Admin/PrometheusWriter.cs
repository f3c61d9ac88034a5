using System.Text;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.State;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Fleet;
using static MeshPortal.Shared.Observability.PrometheusText;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Admin;

/// <summary>Renders the gateway's metrics in the Prometheus text exposition format (0.0.4).</summary>
internal sealed class PrometheusWriter(AppliedConfig applied, GatewayMetrics metrics, HopMetrics hops, PeerDirectory peers, IProxyStateLookup proxyState)
{
    private static readonly string[] StatusClasses = ["none", "1xx", "2xx", "3xx", "4xx", "5xx"];

    public string Write()
    {
        var text = new StringBuilder();
        var current = applied.Current;
        Gauge(text, "mesh_gateway_applied_revision", "Revision of the applied mesh config (0 when none).", current?.Snapshot.Revision ?? 0);
        Gauge(text, "mesh_gateway_ready", "1 once a config is applied.", current is null ? 0 : 1);
        Gauge(text, "mesh_gateway_config_applied_timestamp_seconds", "When the applied config was applied.",
            current?.AppliedAt.ToUnixTimeMilliseconds() / 1000.0 ?? 0);
        Counter(text, "mesh_gateway_config_applies_total", "Snapshots applied.", metrics.ConfigApplies);
        Counter(text, "mesh_gateway_config_apply_failures_total", "Snapshots refused (NACKed or a bad last-known-good).", metrics.ConfigApplyFailures);
        Counter(text, "mesh_gateway_config_deltas_total", "Deltas composed onto the served config with the portal's hash (then applied as the snapshots are).", metrics.DeltasComposed);
        Counter(text, "mesh_gateway_config_snapshot_requests_total", "Whole snapshots asked for after a delta did not fit (a revision gap or a hash mismatch).", metrics.SnapshotRequests);
        Counter(text, "mesh_gateway_lkg_write_failures_total", "Failed writes of the last-known-good config.", metrics.LastKnownGoodWriteFailures);
        Gauge(text, "mesh_gateway_fleet_connected", "1 while connected to the portal.", metrics.FleetConnected ? 1 : 0);
        Counter(text, "mesh_gateway_fleet_connects_total", "Successful (re)connects to the portal.", metrics.FleetConnects);
        Counter(text, "mesh_gateway_telemetry_dropped_total", "Telemetry records dropped while the portal was away.", metrics.TelemetryDropped);
        Counter(text, "mesh_gateway_unrouted_requests_total", "Requests that matched no route.", metrics.UnroutedRequests);
        WriteRequests(text);
        WritePolicies(text);
        WriteDestinations(text);
        WriteHops(text);
        return text.ToString();
    }

    private void WriteHops(StringBuilder text)
    {
        Gauge(text, "mesh_gateway_transport_strict", "1 while the mesh sends cross-node traffic only over mTLS (strict), 0 when permissive.", peers.IsStrict ? 1 : 0);
        Header(text, "mesh_gateway_hop_requests_total", "counter", "Requests that crossed between nodes over mTLS: out to a peer's inbound port, or in from a peer, by peer node.");
        foreach (var ((direction, peer), counter) in hops.Hops.OrderBy(h => h.Key.Direction, StringComparer.Ordinal).ThenBy(h => h.Key.Peer, StringComparer.Ordinal))
        {
            text.Append("mesh_gateway_hop_requests_total{direction=\"").Append(direction).Append("\",peer_node=\"").Append(Escape(peer)).Append("\"} ")
                .Append(Volatile.Read(ref counter.Value)).Append('\n');
        }
    }

    private void WritePolicies(StringBuilder text)
    {
        var routes = metrics.Policies.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        RouteCounter(text, routes, "mesh_gateway_retries_total", "Retried attempts by route.", c => c.Retries);
        RouteCounter(text, routes, "mesh_gateway_retry_budget_exhausted_total", "Retries not made because the route's retry budget was spent.",
            c => c.RetryBudgetExhausted);
        RouteCounter(text, routes, "mesh_gateway_rate_limited_total", "Requests refused with 429 by the route's rate limit.", c => c.RateLimitedRequests);
        RouteCounter(text, routes, "mesh_gateway_fault_delays_total", "Requests delayed by fault injection.", c => c.FaultDelays);
        RouteCounter(text, routes, "mesh_gateway_fault_aborts_total", "Requests aborted by fault injection.", c => c.FaultAborts);
        RouteCounter(text, routes, "mesh_gateway_ejections_total", "Instances ejected by the route's circuit breaker.", c => c.Ejections);
    }

    private static void RouteCounter(
        StringBuilder text, List<KeyValuePair<string, RoutePolicyCounters>> routes, string name, string help, Func<RoutePolicyCounters, long> value)
    {
        Header(text, name, "counter", help);
        foreach (var (route, counters) in routes)
        {
            text.Append(name).Append("{route=\"").Append(Escape(route)).Append("\"} ").Append(value(counters)).Append('\n');
        }
    }

    /// <summary>Each instance as this gateway sees it now: taken out by a failed health check or the circuit breaker, or not.</summary>
    private void WriteDestinations(StringBuilder text)
    {
        Header(text, "mesh_gateway_destination_healthy", "gauge",
            "1 while the instance is in rotation for the route, 0 while a health check or the circuit breaker has taken it out.");
        foreach (var cluster in proxyState.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal))
        {
            foreach (var destination in cluster.DestinationsState.AllDestinations.OrderBy(d => d.DestinationId, StringComparer.Ordinal))
            {
                var health = destination.Health;
                var healthy = health.Active != DestinationHealth.Unhealthy && health.Passive != DestinationHealth.Unhealthy;
                var metadata = destination.Model.Config.Metadata;
                var key = new RequestKey(cluster.ClusterId, metadata?.GetValueOrDefault(ProxyConfigTranslator.ServiceMetadataKey) ?? "",
                    metadata?.GetValueOrDefault(ProxyConfigTranslator.SubsetMetadataKey) ?? "");
                text.Append("mesh_gateway_destination_healthy{").Append(Labels(key)).Append(",instance=\"")
                    .Append(Escape(metadata?.GetValueOrDefault(ProxyConfigTranslator.InstanceMetadataKey) ?? destination.DestinationId))
                    .Append("\"} ").Append(healthy ? 1 : 0).Append('\n');
            }
        }
    }

    private void WriteRequests(StringBuilder text)
    {
        var requests = metrics.Requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Service, StringComparer.Ordinal).ThenBy(r => r.Key.Subset, StringComparer.Ordinal).ToList();

        Header(text, "mesh_gateway_requests_total", "counter", "Proxied requests by route, backend and status class.");
        foreach (var (key, stats) in requests)
        {
            for (var statusClass = 0; statusClass < StatusClasses.Length; statusClass++)
            {
                if (stats.CountOf(statusClass) is var count and > 0)
                {
                    text.Append("mesh_gateway_requests_total{").Append(Labels(key)).Append(",code_class=\"")
                        .Append(StatusClasses[statusClass]).Append("\"} ").Append(count).Append('\n');
                }
            }
        }

        Header(text, "mesh_gateway_request_duration_seconds", "histogram", "Latency of proxied requests by route and backend.");
        foreach (var (key, stats) in requests)
        {
            var labels = Labels(key);
            long cumulative = 0;
            for (var i = 0; i < LatencyBuckets.Count; i++)
            {
                cumulative += stats.LatencyBucket(i);
                var le = i < LatencyBuckets.UpperBoundsMs.Count ? Number(LatencyBuckets.UpperBoundsMs[i] / 1000) : "+Inf";
                text.Append("mesh_gateway_request_duration_seconds_bucket{").Append(labels).Append(",le=\"").Append(le)
                    .Append("\"} ").Append(cumulative).Append('\n');
            }

            text.Append("mesh_gateway_request_duration_seconds_sum{").Append(labels).Append("} ").Append(Number(stats.LatencySumSeconds)).Append('\n');
            text.Append("mesh_gateway_request_duration_seconds_count{").Append(labels).Append("} ").Append(cumulative).Append('\n');
        }
    }

    private static string Labels(RequestKey key) =>
        $"route=\"{Escape(key.Route)}\",service=\"{Escape(key.Service)}\",subset=\"{Escape(key.Subset)}\"";
}

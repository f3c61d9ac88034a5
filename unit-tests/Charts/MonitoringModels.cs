using k8s.Models;

namespace MeshPortal.UnitTests.Charts;

// The prometheus-operator kinds, which KubernetesClient does not model: only the fields this chart
// writes, so KubernetesStrict rejects any other; charts/validate applies the CRDs' full schema.

public sealed record ServiceMonitor(string ApiVersion, string Kind, V1ObjectMeta Metadata, ServiceMonitorSpec Spec);

public sealed record ServiceMonitorSpec(V1LabelSelector Selector, IReadOnlyList<ServiceMonitorEndpoint> Endpoints);

public sealed record ServiceMonitorEndpoint(
    string Port, string Path, string Interval, MonitorAuthorization? Authorization, string? Scheme = null, MonitorTlsConfig? TlsConfig = null);

public sealed record MonitorTlsConfig(string ServerName, MonitorCa? Ca);

public sealed record MonitorCa(V1SecretKeySelector? Secret, V1ConfigMapKeySelector? ConfigMap);

public sealed record MonitorAuthorization(string Type, V1SecretKeySelector Credentials);

public sealed record PodMonitor(string ApiVersion, string Kind, V1ObjectMeta Metadata, PodMonitorSpec Spec);

public sealed record PodMonitorSpec(V1LabelSelector Selector, IReadOnlyList<PodMetricsEndpoint> PodMetricsEndpoints);

public sealed record PodMetricsEndpoint(string Port, string Path, string Interval);

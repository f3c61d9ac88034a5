namespace MeshPortal.UnitTests.Charts;

/// <summary>
/// The chart as Helm renders it, each object checked as the API server would check it: a template
/// that writes a misspelt field, a string where a number belongs or leaves out a required field
/// fails here instead of at install time.
/// </summary>
public sealed class ChartRenderTests
{
    [Fact]
    public void Render_DefaultValues_EveryObjectValid()
    {
        var manifests = RenderOk();

        AssertValid(manifests);
        Assert.Equal(["DaemonSet", "Deployment", "PodDisruptionBudget", "Service"], Kinds(manifests));
    }

    [Fact]
    public void Render_HardenedValues_EveryObjectValid()
    {
        var manifests = RenderOk("-f", Path.Combine(ChartValues.ChartDirectory, "ci", "hardened-values.yaml"));

        AssertValid(manifests);
        Assert.Equal(
            ["DaemonSet", "Deployment", "Ingress", "NetworkPolicy", "PodDisruptionBudget", "PodMonitor", "Service", "ServiceMonitor"],
            Kinds(manifests));
    }

    /// <summary>The oldest Kubernetes the chart allows takes the other branch of each version check.</summary>
    [Fact]
    public void Render_OldestKubernetes_EveryObjectValid()
    {
        AssertValid(RenderOk("--kube-version", "v1.25.0", "-f", Path.Combine(ChartValues.ChartDirectory, "ci", "hardened-values.yaml")));
    }

    [Fact]
    public void Render_ValuesTypo_Fails()
    {
        var result = ChartTools.Render("--set", "portal.replicas=3");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Additional property replicas is not allowed", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("containers:\n        - name: a\n          image: b\n          imagePullPolice: Always", "containers[0].imagePullPolice")]
    [InlineData("containers:\n        - name: a\n          image: b\n          ports:\n            - containerPort: \"5000\"", "containerPort")]
    [InlineData("containers:\n        - image: b", "required property name")]
    [InlineData("containers:\n        - name: a\n          image: b\n          env:\n            - name: A\n              value: yes", "env/0/value")]
    public void Validate_BrokenDeployment_Fails(string podSpec, string reported)
    {
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              selector:
                matchLabels: {app: a}
              template:
                metadata:
                  labels: {app: a}
                spec:
                  POD_SPEC
            """;
        var manifest = Deployment.Replace("POD_SPEC", podSpec.Replace("\n", "\n      ", StringComparison.Ordinal), StringComparison.Ordinal);

        var errors = KubernetesStrict.Errors(manifest).Concat(ChartTools.SchemaErrors(manifest));

        Assert.Contains(errors, e => e.Contains(reported, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MonitorWithUnknownField_Fails()
    {
        const string Manifest = """
            apiVersion: monitoring.coreos.com/v1
            kind: PodMonitor
            metadata:
              name: broken
            spec:
              selector: {}
              podMetricsEndpoints:
                - port: admin
                  path: /metrics
                  interval: 30s
                  scheme: https
            """;

        Assert.Contains(KubernetesStrict.Errors(Manifest), e => e.Contains("$.spec.podMetricsEndpoints[0].scheme", StringComparison.Ordinal));
    }

    private static string RenderOk(params string[] arguments)
    {
        var result = ChartTools.Render(arguments);
        Assert.True(result.ExitCode == 0, result.Errors);
        return result.Output;
    }

    private static void AssertValid(string manifests)
    {
        var errors = KubernetesStrict.Errors(manifests).Concat(ChartTools.SchemaErrors(manifests)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    private static List<string> Kinds(string manifests) => ChartValues.ParseAll(manifests)
        .Select(o => o?["kind"]?.ToString() ?? "")
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToList();
}

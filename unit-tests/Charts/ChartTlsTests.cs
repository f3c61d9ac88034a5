using System.Text.Json.Nodes;

namespace MeshPortal.UnitTests.Charts;

/// <summary>The chart with the portal serving HTTPS itself: the Secret's files, the gateways' CA, the scheme everywhere.</summary>
public sealed class ChartTlsTests
{
    private static readonly string TlsValues = Path.Combine(ChartValues.ChartDirectory, "ci", "portal-tls-values.yaml");

    [Fact]
    public void Render_PortalTlsValues_EveryObjectValid()
    {
        var manifests = RenderOk("-f", TlsValues);

        var errors = KubernetesStrict.Errors(manifests).Concat(ChartTools.SchemaErrors(manifests)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public void Render_PortalTls_PortalServesTheSecretsCertificateOverHttps()
    {
        var objects = ChartValues.ParseAll(RenderOk("-f", TlsValues));

        var pod = Object(objects, "Deployment")["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var env = Env(container);
        Assert.Equal("https://+:5000", env["ASPNETCORE_URLS"]);
        Assert.Equal("/var/run/meshportal-tls/tls.crt", env["Portal__Tls__CertificateFile"]);
        Assert.Equal("/var/run/meshportal-tls/tls.key", env["Portal__Tls__KeyFile"]);
        Assert.Equal("/var/run/meshportal-ca/tls.crt", env["Portal__MeshCa__CertificateFile"]);
        Assert.Equal("/var/run/meshportal-ca/tls.key", env["Portal__MeshCa__KeyFile"]);
        Assert.Equal("meshportal-portal-tls", Volume(pod, "tls")["secret"]!["secretName"]!.ToString());
        Assert.Equal("meshportal-mesh-ca", Volume(pod, "mesh-ca")["secret"]!["secretName"]!.ToString());
        Assert.All(container["volumeMounts"]!.AsArray().Where(m => m!["name"]!.ToString() is "tls" or "mesh-ca"),
            m => Assert.True((bool)m!["readOnly"]!));
        Assert.All(new[] { "startupProbe", "readinessProbe", "livenessProbe" },
            probe => Assert.Equal("HTTPS", container[probe]!["httpGet"]!["scheme"]!.ToString()));
        Assert.Equal("https", Object(objects, "Service")["spec"]!["ports"]![0]!["targetPort"]!.ToString());
        Assert.Equal("HTTPS", Object(objects, "Ingress")["metadata"]!["annotations"]!["nginx.ingress.kubernetes.io/backend-protocol"]!.ToString());
        var scrape = Object(objects, "ServiceMonitor")["spec"]!["endpoints"]![0]!;
        Assert.Equal("https", scrape["scheme"]!.ToString());
        Assert.Equal("meshportal-portal-ca", scrape["tlsConfig"]!["ca"]!["configMap"]!["name"]!.ToString());
    }

    [Fact]
    public void Render_PortalTls_GatewaysUseHttpsAndTrustOnlyThePortalCa()
    {
        var objects = ChartValues.ParseAll(RenderOk("-f", TlsValues));

        var pod = Object(objects, "DaemonSet")["spec"]!["template"]!["spec"]!;
        var env = Env(pod["containers"]![0]!);
        Assert.Equal("https://release-name-meshportal-portal.default.svc", env["Gateway__PortalUrl"]);
        Assert.Equal("/var/run/meshgateway/portal-ca/ca.crt", env["Gateway__PortalCaFile"]);
        Assert.Equal("meshportal-portal-ca", Volume(pod, "portal-ca")["configMap"]!["name"]!.ToString());
    }

    [Fact]
    public void Render_DefaultValues_PortalAndGatewaysOnPlainHttp()
    {
        var objects = ChartValues.ParseAll(RenderOk());

        Assert.Equal("http://+:5000", Env(Object(objects, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!)["ASPNETCORE_URLS"]);
        var gateway = Env(Object(objects, "DaemonSet")["spec"]!["template"]!["spec"]!["containers"]![0]!);
        Assert.Equal("http://release-name-meshportal-portal.default.svc", gateway["Gateway__PortalUrl"]);
        Assert.False(gateway.ContainsKey("Gateway__PortalCaFile"));
    }

    [Fact]
    public void Render_DefaultValues_GatewaysTakeHopsOnTheirPodAddressInStrictMode()
    {
        var objects = ChartValues.ParseAll(RenderOk("--set", "networkPolicy.enabled=true"));

        var container = Object(objects, "DaemonSet")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("https://$(POD_IP):16001", Env(container)["Gateway__InboundUrl"]);
        var podIp = container["env"]!.AsArray().Single(e => e!["name"]!.ToString() == "POD_IP")!;
        Assert.Equal("status.podIP", podIp["valueFrom"]!["fieldRef"]!["fieldPath"]!.ToString());
        Assert.Contains(container["ports"]!.AsArray(), p => p!["name"]!.ToString() == "inbound" && p["containerPort"]!.ToString() == "16001");
        Assert.Equal("strict", Env(Object(objects, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!)["Portal__Mesh__TransportMode"]);
        var gatewayPolicy = objects.Single(o => o?["kind"]?.ToString() == "NetworkPolicy" && o["metadata"]!["name"]!.ToString().EndsWith("-gateway", StringComparison.Ordinal))!;
        Assert.Contains(gatewayPolicy["spec"]!["ingress"]!.AsArray(), rule => rule!["ports"]![0]!["port"]!.ToString() == "inbound" && rule["from"] is not null);
    }

    [Fact]
    public void Render_NoInboundPort_GatewaysTakeNoHops()
    {
        var objects = ChartValues.ParseAll(RenderOk("--set", "gateway.inboundPort=0", "--set", "portal.transportMode=permissive"));

        var container = Object(objects, "DaemonSet")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.False(Env(container).ContainsKey("Gateway__InboundUrl"));
        Assert.DoesNotContain(container["ports"]!.AsArray(), p => p!["name"]!.ToString() == "inbound");
        Assert.Equal("permissive", Env(Object(objects, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!)["Portal__Mesh__TransportMode"]);
    }

    [Fact]
    public void Render_UnknownTransportMode_FailsNamingTheValue()
    {
        var result = ChartTools.Render("--set", "portal.transportMode=open");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("transportMode", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("portal.tls.secretName=portal-tls", "give the gateways the CA that signs the portal's certificate in gateway.portalCa")]
    [InlineData("gateway.portalCa.secretName=portal-ca", "a CA checks only https")]
    public void Render_InconsistentTlsValues_FailsSayingWhatToSet(string setting, string message)
    {
        var result = ChartTools.Render("--set", setting);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PortalCaFromSecretAndConfigMap_Fails()
    {
        var result = ChartTools.Render("-f", TlsValues, "--set", "gateway.portalCa.secretName=portal-ca");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("set secretName or configMapName, not both", result.Errors, StringComparison.Ordinal);
    }

    private static string RenderOk(params string[] arguments)
    {
        var result = ChartTools.Render(arguments);
        Assert.True(result.ExitCode == 0, result.Errors);
        return result.Output;
    }

    private static JsonNode Object(IReadOnlyList<JsonNode?> objects, string kind) => objects.Single(o => o?["kind"]?.ToString() == kind)!;

    private static JsonNode Volume(JsonNode podSpec, string name) => podSpec["volumes"]!.AsArray().Single(v => v!["name"]!.ToString() == name)!;

    private static Dictionary<string, string> Env(JsonNode container) => container["env"]!.AsArray()
        .Where(e => e!["value"] is not null)
        .ToDictionary(e => e!["name"]!.ToString(), e => e!["value"]!.ToString());
}

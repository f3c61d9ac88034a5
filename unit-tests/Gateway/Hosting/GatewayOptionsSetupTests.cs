using MeshPortal.Gateway.Hosting;

namespace MeshPortal.UnitTests.Gateway.Hosting;

public sealed class GatewayOptionsSetupTests
{
    private static GatewayOptions Valid() => new()
    {
        PortalUrl = "http://127.0.0.1:5000",
        Token = "t0k",
        Node = "n1",
        ProxyUrl = "http://127.0.0.1:15001",
        AdminUrl = "http://127.0.0.1:19001",
        StateDirectory = "/tmp/gw-n1",
    };

    [Fact]
    public void Validate_CompleteOptions_Succeeds()
    {
        Assert.True(new GatewayOptionsSetup().Validate(null, Valid()).Succeeded);
    }

    [Theory]
    [InlineData("ip-10-0-1-2.ec2.internal")]
    [InlineData("gke-pool-1-abc.europe-west1-b.c.project.internal")]
    public void Validate_DottedKubernetesNodeName_Succeeds(string node)
    {
        var options = Valid();
        options.Node = node;

        Assert.True(new GatewayOptionsSetup().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("https://fd00::7:15443", "https://[fd00::7]:15443")]
    [InlineData("https://2001:db8::1:15443/", "https://[2001:db8::1]:15443")]
    [InlineData("https://[fd00::7]:15443", "https://[fd00::7]:15443")]
    [InlineData("https://10.0.1.2:15443", "https://10.0.1.2:15443")]
    [InlineData("", "")]
    public void PostConfigure_InboundUrlFromAnIPv6PodIp_Bracketed(string configured, string used)
    {
        var options = Valid();
        options.InboundUrl = configured;

        new GatewayOptionsSetup().PostConfigure(null, options);

        Assert.Equal(used, options.InboundUrl);
    }

    [Fact]
    public void Validate_InboundUrlOfAnIPv6PodIp_Succeeds()
    {
        var options = Valid();
        options.InboundUrl = "https://fd00::7:15443";
        var setup = new GatewayOptionsSetup();

        setup.PostConfigure(null, options);

        Assert.True(setup.Validate(null, options).Succeeded, string.Join("; ", setup.Validate(null, options).Failures ?? []));
    }

    [Fact]
    public void Validate_MissingTokenBadNodeSamePorts_EveryProblemNamedWithItsEnvVariable()
    {
        var options = Valid();
        options.Token = "";
        options.Node = "Node_1";
        options.AdminUrl = "http://127.0.0.1:15001";

        var result = new GatewayOptionsSetup().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains("Gateway__Token"));
        Assert.Contains(failures, f => f.Contains("Gateway__Node") && f.Contains("Node_1"));
        Assert.Contains(failures, f => f.Contains("different ports"));
    }

    [Theory]
    [InlineData("127.0.0.1:15001")]
    [InlineData("https://127.0.0.1:15001")]
    [InlineData("http://gateway.example:15001")]
    public void Validate_ProxyUrlNotAListenableHttpAddress_Fails(string proxyUrl)
    {
        var options = Valid();
        options.ProxyUrl = proxyUrl;

        var result = new GatewayOptionsSetup().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("Gateway:ProxyUrl"));
    }

    [Fact]
    public void PostConfigure_NoGatewayId_NodeMachineAndProcess()
    {
        var options = Valid();

        new GatewayOptionsSetup().PostConfigure(null, options);

        Assert.Equal($"n1-{Environment.MachineName}-{Environment.ProcessId}", options.GatewayId);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "ws://127.0.0.1:5000/hubs/fleet")]
    [InlineData("https://portal.example/mesh/", "wss://portal.example/mesh/hubs/fleet")]
    public void FleetHubUris_PortalUrl_WebSocketUrlOfTheHub(string portalUrl, string expected)
    {
        var options = Valid();
        options.PortalUrl = portalUrl;

        Assert.Equal(new[] { new Uri(expected) }, options.FleetHubUris);
    }

    [Fact]
    public void FleetHubUris_ReplicasSeparatedByCommas_EachInTheOrderGiven()
    {
        var options = Valid();
        options.PortalUrl = "http://127.0.0.1:5000, http://127.0.0.1:5001";

        Assert.Equal(new[] { new Uri("ws://127.0.0.1:5000/hubs/fleet"), new Uri("ws://127.0.0.1:5001/hubs/fleet") }, options.FleetHubUris);
        Assert.True(new GatewayOptionsSetup().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000,ftp://portal")]
    [InlineData(" , ")]
    public void Validate_AnyPortalUrlNotHttp_RefusedNamingIt(string portalUrl)
    {
        var options = Valid();
        options.PortalUrl = portalUrl;

        var result = new GatewayOptionsSetup().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Gateway:PortalUrl", result.FailureMessage);
    }

    [Fact]
    public void Validate_MaxRoutesBelowOne_Refused()
    {
        var options = Valid();
        options.MaxRoutes = 0;

        var failure = Assert.Single(new GatewayOptionsSetup().Validate(null, options).Failures!);

        Assert.Contains("Gateway__MaxRoutes", failure);
    }
}

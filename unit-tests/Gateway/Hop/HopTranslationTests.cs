using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.UnitTests.Gateway.Hop;

public sealed class HopTranslationTests
{
    /// <summary>catalog v1 on n1 (this node), v2a on n2 (takes hops at 16002), v2b on n3 (takes none).</summary>
    private static MeshSnapshot Spread()
    {
        var config = GatewayTestData.Config(50, 50);
        var catalog = config.Services[0];
        SubsetConfig OnNodes(SubsetConfig subset, params string[] nodes) =>
            subset with { Instances = [.. subset.Instances.Select((i, n) => i with { Node = nodes[n] })] };
        return GatewayTestData.Snapshot(1, config with
        {
            Services = [catalog with { Subsets = [OnNodes(catalog.Subsets[0], "n1"), OnNodes(catalog.Subsets[1], "n2", "n3")] }],
        });
    }

    private static HopPlan Plan(string mode) =>
        new("n1", new PeerDirectory.Snapshot(mode, new Dictionary<string, string> { ["n2"] = "https://127.0.0.1:16002" }));

    [Fact]
    public void Translate_InstanceOnPeerNode_GoesToPeerInboundWithItsNodeAsHost()
    {
        var destinations = Assert.Single(ProxyConfigTranslator.Translate(Spread(), Plan(TransportModes.Strict)).Clusters).Destinations!;

        var hop = destinations["catalog/v2/catalog-v2a"];
        Assert.Equal("https://127.0.0.1:16002", hop.Address);
        Assert.Equal("n2", hop.Host);
        Assert.Equal("n2", hop.Metadata![ProxyConfigTranslator.HopNodeMetadataKey]);
        Assert.Equal("catalog-v2a", hop.Metadata[ProxyConfigTranslator.InstanceMetadataKey]);
        var local = destinations["catalog/v1/catalog-v1"];
        Assert.StartsWith("http://127.0.0.1:", local.Address, StringComparison.Ordinal);
        Assert.False(local.Metadata!.ContainsKey(ProxyConfigTranslator.HopNodeMetadataKey));
    }

    [Fact]
    public void Translate_StrictAndNodeWithoutInbound_LeavesInstanceOutAndNamesTheNode()
    {
        var translated = Assert.Single(ProxyConfigTranslator.Translate(Spread(), Plan(TransportModes.Strict)).Translated);

        Assert.False(translated.Cluster.Destinations!.ContainsKey("catalog/v2/catalog-v2b"));
        Assert.Equal(["n3"], translated.HopGaps!.NodesByBackend["catalog/v2"]);
        Assert.Equal("catalog/v2=n3", translated.Route.Metadata![ProxyConfigTranslator.HopGapsMetadataKey]);
    }

    [Fact]
    public void Translate_PermissiveAndNodeWithoutInbound_CallsInstanceDirectly()
    {
        var translated = Assert.Single(ProxyConfigTranslator.Translate(Spread(), Plan(TransportModes.Permissive)).Translated);

        Assert.StartsWith("http://127.0.0.1:", translated.Cluster.Destinations!["catalog/v2/catalog-v2b"].Address, StringComparison.Ordinal);
        Assert.Null(translated.HopGaps);
    }

    [Theory]
    [InlineData("https://127.0.0.1:16001", true)]
    [InlineData("https://gw.n1.internal:16001", true)]
    [InlineData("http://127.0.0.1:16001", false)]
    [InlineData("https://127.0.0.1", false)]
    [InlineData("https://127.0.0.1:16001/path", false)]
    [InlineData("https://user@127.0.0.1:16001", false)]
    public void IsInboundUrl_Url_AcceptsOnlyHttpsWithPortAndNoPath(string url, bool accepted) =>
        Assert.Equal(accepted, TransportLimits.IsInboundUrl(url));

    [Fact]
    public void Problem_NodeNamedTwice_IsRefused()
    {
        var peer = new PeerGateway { Node = "n2", InboundUrl = "https://127.0.0.1:16002" };

        Assert.NotNull(TransportLimits.Problem(new TransportSettings { Mode = TransportModes.Strict, Peers = [peer, peer] }));
        Assert.NotNull(TransportLimits.Problem(new TransportSettings { Mode = "loose", Peers = [peer] }));
        Assert.Null(TransportLimits.Problem(new TransportSettings { Mode = TransportModes.Permissive, Peers = [peer] }));
    }
}

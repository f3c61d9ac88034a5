using MeshPortal.Portal.Hosting;

namespace MeshPortal.UnitTests.Portal.Hosting;

public sealed class TrustedProxiesTests
{
    [Fact]
    public void ParseNetworks_Cidrs_ReturnsEachNetwork()
    {
        var networks = TrustedProxies.ParseNetworks(new ProxyOptions { TrustedNetworks = ["10.0.0.0/8", " 192.168.1.7/32 ", "fd00::/8"] });

        Assert.Equal(["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"], networks.Select(n => n.ToString()));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("ingress-nginx")]
    [InlineData("10.0.0.0/33")]
    public void ParseNetworks_NotACidr_NamesTheEntry(string bad)
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            TrustedProxies.ParseNetworks(new ProxyOptions { TrustedNetworks = ["10.0.0.0/8", bad] }));

        Assert.Contains("Portal:Proxy:TrustedNetworks:1", ex.Message);
        Assert.Contains($"'{bad}'", ex.Message);
    }

    [Fact]
    public void ParseNetworks_Empty_TrustsNothing() =>
        Assert.Empty(TrustedProxies.ParseNetworks(new ProxyOptions()));
}

using MeshPortal.Gateway.Hop;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.Hop;

public sealed class PeerDirectoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Set_NodeMissingFromTheNextList_KeptForTheGrace()
    {
        var peers = new PeerDirectory(_time);
        peers.Set(Settings(("n2", "https://127.0.0.1:16002"), ("n3", "https://127.0.0.1:16003")));

        // A portal that just restarted knows only the gateways connected to it so far.
        Assert.False(peers.Set(Settings(("n2", "https://127.0.0.1:16002"))));
        _time.Advance(PeerDirectory.Grace - TimeSpan.FromSeconds(1));
        peers.Set(Settings(("n2", "https://127.0.0.1:16002")));

        Assert.Equal("https://127.0.0.1:16003", peers.Current.Inbound["n3"]);
    }

    [Fact]
    public void Set_NodeMissingLongerThanTheGrace_Dropped()
    {
        var peers = new PeerDirectory(_time);
        peers.Set(Settings(("n2", "https://127.0.0.1:16002"), ("n3", "https://127.0.0.1:16003")));
        peers.Set(Settings(("n2", "https://127.0.0.1:16002")));

        _time.Advance(PeerDirectory.Grace);

        Assert.True(peers.Set(Settings(("n2", "https://127.0.0.1:16002"))));
        Assert.False(peers.Current.Inbound.ContainsKey("n3"));
    }

    [Fact]
    public void Set_NewUrlForANode_TakenAtOnce()
    {
        var peers = new PeerDirectory(_time);
        peers.Set(Settings(("n2", "https://127.0.0.1:16002")));

        Assert.True(peers.Set(Settings(("n2", "https://10.0.0.2:16001"))));
        Assert.Equal("https://10.0.0.2:16001", peers.Current.Inbound["n2"]);
    }

    [Fact]
    public void Set_BeforeAnything_StrictWithNoPeers()
    {
        var peers = new PeerDirectory(_time);

        Assert.True(peers.IsStrict);
        Assert.Empty(peers.Current.Inbound);
    }

    private static TransportSettings Settings(params (string Node, string Url)[] peers) => new()
    {
        Mode = TransportModes.Strict,
        Peers = [.. peers.Select(p => new PeerGateway { Node = p.Node, InboundUrl = p.Url })],
    };
}

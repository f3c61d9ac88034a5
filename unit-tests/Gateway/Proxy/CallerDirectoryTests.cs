using System.Net;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class CallerDirectoryTests
{
    private static readonly MeshConfig Mesh = new()
    {
        Services =
        [
            Service("frontend", "http://10.0.0.5:7001", "http://127.0.0.1:7002"),
            Service("catalog", "http://10.0.0.6:7011", "http://10.0.0.9:7012"),
            Service("inventory", "http://10.0.0.9:7021"),
            Service("reviews", "http://127.0.1.21:7031"),
        ],
    };

    [Fact]
    public void Identify_AddressOfOneServicesInstance_ThatServiceOverHeader()
    {
        var context = Request("10.0.0.5", source: "somebody");

        Assert.Equal("frontend", CallerDirectory.From(Mesh).Identify(context).Name);
    }

    [Fact]
    public void Identify_IPv4MappedAddress_MatchedAsIPv4()
    {
        var context = Request("::ffff:10.0.0.6");

        Assert.Equal("catalog", CallerDirectory.From(Mesh).Identify(context).Name);
    }

    [Theory]
    [InlineData("10.0.0.9")]
    [InlineData("127.0.0.1")]
    [InlineData("192.168.1.1")]
    public void Identify_SharedLoopbackOrUnknownAddress_FallsBackToHeader(string address)
    {
        var context = Request(address, source: "frontend");

        Assert.Equal("frontend", CallerDirectory.From(Mesh).Identify(context).Name);
    }

    [Fact]
    public void Identify_OwnLoopbackAddressOfOneService_VerifiedThatService()
    {
        var caller = CallerDirectory.From(Mesh).Identify(Request("127.0.1.21", source: "frontend"));

        Assert.Equal(new Caller("reviews", Verified: true), caller);
        Assert.Equal("reviews", caller.Principal);
    }

    [Fact]
    public void Identify_HeaderOnly_LabelsButIsNoPrincipal()
    {
        var caller = CallerDirectory.From(Mesh).Identify(Request("127.0.0.1", source: "catalog"));

        Assert.Equal("catalog", caller.Name);
        Assert.False(caller.Verified);
        Assert.Equal(AccessPolicy.External, caller.Principal);
    }

    [Fact]
    public void Identify_NoMatchNoHeader_External()
    {
        Assert.Equal(CallerDirectory.External, CallerDirectory.From(Mesh).Identify(Request("192.168.1.1")).Name);
    }

    [Fact]
    public void Identify_OverlongHeader_External()
    {
        var context = Request("192.168.1.1", source: new string('a', 200));

        Assert.Equal(CallerDirectory.External, CallerDirectory.Empty.Identify(context).Name);
    }

    private static DefaultHttpContext Request(string remote, string? source = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (source is not null)
        {
            context.Request.Headers[CallerDirectory.SourceHeader] = source;
        }

        return context;
    }

    private static ServiceConfig Service(string name, params string[] addresses) => new()
    {
        Name = name,
        Subsets = [new SubsetConfig { Name = "v1", Instances = [.. addresses.Select((a, i) => new InstanceConfig { Id = $"{name}-{i}", Address = a })] }],
    };
}

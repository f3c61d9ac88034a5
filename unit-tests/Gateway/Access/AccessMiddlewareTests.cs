using System.Text.Json;
using MeshPortal.Gateway.Access;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Split;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Gateway.Access;

public sealed class AccessMiddlewareTests
{
    private static readonly MeshConfig Mesh = new()
    {
        Services =
        [
            new ServiceConfig { Name = "inventory", Access = new AccessPolicy { Allow = ["catalog"] } },
            new ServiceConfig { Name = "catalog" },
        ],
    };

    private static async Task<(DefaultHttpContext Context, MeshRequestFeature Mesh, bool Called)> InvokeAsync(string service, Caller caller)
    {
        var applied = new AppliedConfig();
        applied.Set(AppliedSnapshot.Of(MeshSnapshot.Create(1, Mesh), DateTimeOffset.UnixEpoch));
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var feature = new MeshRequestFeature(caller) { Backend = new SplitBackend(service, "v1", 100) };
        context.Features.Set(feature);
        var called = false;

        await new AccessMiddleware(_ => { called = true; return Task.CompletedTask; }, applied).InvokeAsync(context);

        return (context, feature, called);
    }

    [Fact]
    public async Task InvokeAsync_AllowedServiceByAddress_PassesOn()
    {
        var (context, mesh, called) = await InvokeAsync("inventory", new Caller("catalog", Verified: true));

        Assert.True(called);
        Assert.False(mesh.Denied);
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_HeaderNamingAllowedService_403NamingThePolicy()
    {
        var (context, mesh, called) = await InvokeAsync("inventory", new Caller("catalog", Verified: false));

        Assert.False(called);
        Assert.True(mesh.Denied);
        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("inventory", body.RootElement.GetProperty("policy").GetProperty("service").GetString());
        Assert.Equal("external", body.RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public async Task InvokeAsync_ServiceWithoutPolicy_EveryonePasses()
    {
        var (_, mesh, called) = await InvokeAsync("catalog", new Caller("external", Verified: false));

        Assert.True(called);
        Assert.False(mesh.Denied);
    }
}

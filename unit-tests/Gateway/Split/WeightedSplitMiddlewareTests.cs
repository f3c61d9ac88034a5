using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Split;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.UnitTests.Gateway.Split;

public sealed class WeightedSplitMiddlewareTests
{
    [Fact]
    public async Task InvokeAsync_SplitOnEndpoint_NarrowsDestinationsAndTagsRequest()
    {
        var route = ProxyConfigTranslator.Translate(MeshSnapshot.Create(1, GatewayTestData.Config(0, 100))).Translated.Single();
        var destinations = route.Cluster.Destinations!.Select(d => new DestinationState(d.Key, new DestinationModel(d.Value))).ToArray();
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route.Split), "catalog"));
        var proxy = new ReverseProxyFeature { AllDestinations = destinations, AvailableDestinations = destinations };
        context.Features.Set<IReverseProxyFeature>(proxy);
        var mesh = new MeshRequestFeature(new Caller("frontend", Verified: false));
        context.Features.Set(mesh);
        var called = false;
        var middleware = new WeightedSplitMiddleware(_ => { called = true; return Task.CompletedTask; });

        await middleware.InvokeAsync(context);

        Assert.True(called);
        Assert.StartsWith("catalog/v2/", Assert.Single(proxy.AvailableDestinations).DestinationId);
        Assert.Equal("catalog", mesh.RouteId);
        Assert.Equal(new SplitBackend("catalog", "v2", 100), mesh.Backend);
    }

    [Fact]
    public async Task InvokeAsync_NoSplitOnEndpoint_PassesThrough()
    {
        var context = new DefaultHttpContext();
        var called = false;
        var middleware = new WeightedSplitMiddleware(_ => { called = true; return Task.CompletedTask; });

        await middleware.InvokeAsync(context);

        Assert.True(called);
    }
}

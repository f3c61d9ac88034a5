using System.Net;
using System.Net.Sockets;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshPortal.UnitTests.Gateway.Proxy;

/// <summary>
/// A real Kestrel app with YARP's endpoints for a translated mesh config and the gateway's matcher policies,
/// where each request is matched twice: by <see cref="ProxyRouteTable"/> before UseRouting, and by ASP.NET
/// routing (its DfaMatcher) after it. The response says both, and nothing is proxied.
/// </summary>
internal sealed class RoutingReference : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RoutingReference(WebApplication app, int port)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public HttpClient Client { get; }

    public static async Task<RoutingReference> StartAsync(MeshConfig config)
    {
        var proxy = ProxyConfigTranslator.Translate(MeshSnapshot.Create(1, config));
        var bindings = new RouteBindings();
        bindings.Bind(proxy, proxy.Translated.ToDictionary(r => r.Route.RouteId, _ => new RouteHandlers(null, null, null)));
        var port = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddReverseProxy().LoadFromMemory(proxy.Routes, proxy.Clusters);
        builder.Services.AddSingleton<MatcherPolicy, HeaderRegexMatcherPolicy>();
        builder.Services.AddSingleton<MatcherPolicy, RouteHostMatcherPolicy>();
        var app = builder.Build();
        var selector = new ProxyRouteSelector();
        app.Use((context, next) =>
        {
            var match = selector.Current()!.Match(context.Request);
            context.Items["table"] = match.Endpoint?.DisplayName ?? $"{match.Status} {match.Allow}";
            return next(context);
        });
        app.UseRouting();
        app.Use(async (HttpContext context, RequestDelegate _) =>
        {
            var routed = context.GetEndpoint() switch
            {
                null => "404 ",
                { DisplayName: "405 HTTP Method Not Supported" } endpoint => $"405 {await AllowOf(endpoint)}",
                var endpoint => endpoint.DisplayName,
            };
            await context.Response.WriteAsync($"{context.Items["table"]}|{routed}");
        });
        app.MapReverseProxy().ConfigureEndpoints((endpoint, route) => bindings.Apply(endpoint, route));
        selector.Watch(((IEndpointRouteBuilder)app).DataSources);
        await app.StartAsync();
        return new RoutingReference(app, port);
    }

    /// <summary>Both answers for one request: (table, ASP.NET routing).</summary>
    public async Task<(string Table, string Routing)> MatchAsync(HttpMethod method, string host, string path, params (string Name, string Value)[] headers)
    {
        // Joined as text: a path such as "//api" would otherwise be taken for another host.
        using var request = new HttpRequestMessage(method, new Uri($"{Client.BaseAddress!.GetLeftPart(UriPartial.Authority)}{path}")) { Headers = { Host = host } };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Client.SendAsync(request);
        var parts = (await response.Content.ReadAsStringAsync()).Split('|');
        return (parts[0], parts[1]);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    // The Allow header ASP.NET's 405 endpoint would write.
    private static async Task<string> AllowOf(Endpoint endpoint)
    {
        var context = new DefaultHttpContext();
        await endpoint.RequestDelegate!(context);
        return context.Response.Headers.Allow.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

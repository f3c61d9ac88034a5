using System.Net;
using System.Net.Sockets;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshPortal.UnitTests.Gateway.Hosting;

/// <summary>
/// A real gateway in the test process with tiny in-process backends (by default catalog v1, v2a and
/// v2b, answering their own name), serving its last-known-good config; the portal address is dead.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly List<WebApplication> _backends;
    private readonly WebApplication _gateway;
    private readonly string _stateDirectory;

    private GatewayHost(List<WebApplication> backends, WebApplication gateway, string stateDirectory, int proxyPort, int adminPort)
    {
        _backends = backends;
        _gateway = gateway;
        _stateDirectory = stateDirectory;
        Proxy = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxyPort}") };
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
    }

    public HttpClient Proxy { get; }

    public HttpClient Admin { get; }

    /// <summary>Starts the gateway, with <paramref name="lastKnownGood"/> (weights v1, v2) on disk if given.</summary>
    public static Task<GatewayHost> StartAsync((int V1, int V2)? lastKnownGood) =>
        StartAsync(
            new Dictionary<string, RequestDelegate>
            {
                ["catalog-v1"] = context => context.Response.WriteAsync("catalog-v1"),
                ["catalog-v2a"] = context => context.Response.WriteAsync("catalog-v2a"),
                ["catalog-v2b"] = context => context.Response.WriteAsync("catalog-v2b"),
            },
            lastKnownGood is var (v1, v2) ? addresses => Config(addresses, v1, v2) : null);

    /// <summary>
    /// Starts one backend per entry of <paramref name="backends"/> and a gateway serving the config
    /// <paramref name="config"/> makes from the backends' addresses (by name) as its last-known-good one.
    /// </summary>
    public static async Task<GatewayHost> StartAsync(
        IReadOnlyDictionary<string, RequestDelegate> backends, Func<IReadOnlyDictionary<string, string>, MeshConfig>? config,
        TimeProvider? time = null)
    {
        var apps = new List<WebApplication>();
        var addresses = new Dictionary<string, string>();
        foreach (var (name, handler) in backends)
        {
            var backend = WebApplication.CreateBuilder();
            backend.Logging.ClearProviders();
            backend.WebHost.UseUrls("http://127.0.0.1:0");
            var app = backend.Build();
            app.Run(handler);
            await app.StartAsync();
            apps.Add(app);
            addresses[name] = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        }

        var stateDirectory = Path.Combine(Path.GetTempPath(), $"mesh-gateway-{Guid.NewGuid():N}");
        if (config is not null)
        {
            new LastKnownGoodStore(stateDirectory).Save(MeshSnapshot.Create(1, config(addresses)));
        }

        var (proxyPort, adminPort, portalPort) = (FreePort(), FreePort(), FreePort());
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:PortalUrl"] = $"http://127.0.0.1:{portalPort}",
            ["Gateway:Token"] = "test",
            ["Gateway:Node"] = "n1",
            ["Gateway:ProxyUrl"] = $"http://127.0.0.1:{proxyPort}",
            ["Gateway:AdminUrl"] = $"http://127.0.0.1:{adminPort}",
            ["Gateway:StateDirectory"] = stateDirectory,
        });
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddGateway();
        var gateway = builder.Build();
        gateway.UseGateway();
        await gateway.StartAsync();
        return new GatewayHost(apps, gateway, stateDirectory, proxyPort, adminPort);
    }

    /// <summary>An address where nothing listens: connecting is refused at once.</summary>
    public static string DeadAddress() => $"http://127.0.0.1:{FreePort()}";

    public async ValueTask DisposeAsync()
    {
        Proxy.Dispose();
        Admin.Dispose();
        await _gateway.DisposeAsync();
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    private static MeshConfig Config(IReadOnlyDictionary<string, string> addresses, int v1, int v2) => new()
    {
        Services =
        [
            new ServiceConfig
            {
                Name = "catalog",
                Subsets =
                [
                    new SubsetConfig { Name = "v1", Instances = [Instance("catalog-v1", addresses)] },
                    new SubsetConfig { Name = "v2", Instances = [Instance("catalog-v2a", addresses), Instance("catalog-v2b", addresses)] },
                ],
            },
        ],
        Routes =
        [
            new RouteConfig
            {
                Id = "catalog",
                Match = new RouteMatch { Hosts = ["catalog"] },
                Backends = [new BackendRef { Service = "catalog", Subset = "v1", Weight = v1 }, new BackendRef { Service = "catalog", Subset = "v2", Weight = v2 }],
            },
        ],
    };

    private static InstanceConfig Instance(string id, IReadOnlyDictionary<string, string> addresses) =>
        new() { Id = id, Address = addresses[id] };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

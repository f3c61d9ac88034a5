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
/// A real gateway in the test process, with three tiny backends (catalog v1, v2a, v2b) that answer
/// their own name, and a portal address where nothing listens.
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
    public static async Task<GatewayHost> StartAsync((int V1, int V2)? lastKnownGood)
    {
        var backends = new List<WebApplication>();
        var ports = new Dictionary<string, int>();
        foreach (var name in new[] { "catalog-v1", "catalog-v2a", "catalog-v2b" })
        {
            var backend = WebApplication.CreateBuilder();
            backend.Logging.ClearProviders();
            backend.WebHost.UseUrls("http://127.0.0.1:0");
            var app = backend.Build();
            app.Run(context => context.Response.WriteAsync(name));
            await app.StartAsync();
            backends.Add(app);
            ports[name] = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        }

        var stateDirectory = Path.Combine(Path.GetTempPath(), $"mesh-gateway-{Guid.NewGuid():N}");
        if (lastKnownGood is var (v1, v2))
        {
            new LastKnownGoodStore(stateDirectory).Save(MeshSnapshot.Create(1, Config(ports, v1, v2)));
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
        builder.AddGateway();
        var gateway = builder.Build();
        gateway.UseGateway();
        await gateway.StartAsync();
        return new GatewayHost(backends, gateway, stateDirectory, proxyPort, adminPort);
    }

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

    private static MeshConfig Config(Dictionary<string, int> ports, int v1, int v2) => new()
    {
        Services =
        [
            new ServiceConfig
            {
                Name = "catalog",
                Subsets =
                [
                    new SubsetConfig { Name = "v1", Instances = [Instance("catalog-v1", ports)] },
                    new SubsetConfig { Name = "v2", Instances = [Instance("catalog-v2a", ports), Instance("catalog-v2b", ports)] },
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

    private static InstanceConfig Instance(string id, Dictionary<string, int> ports) =>
        new() { Id = id, Address = $"http://127.0.0.1:{ports[id]}" };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

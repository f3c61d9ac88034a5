namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>The demo shop of samples/: frontend → catalog (v1, v2) → inventory, via the gateways.</summary>
public static class DemoShop
{
    public static async Task StartAsync(MeshFixture mesh)
    {
        var n1 = mesh.Gateways[0].ProxyUrl;
        var inventory = Start(mesh, "inventory", "v1", n1);
        var catalogV1 = Start(mesh, "catalog", "v1", mesh.Gateways[1].ProxyUrl);
        var catalogV2 = Start(mesh, "catalog", "v2", mesh.Gateways[2].ProxyUrl);
        var frontend = Start(mesh, "frontend", "v1", n1);
        using var http = new HttpClient();
        foreach (var (url, process) in new[] { inventory, catalogV1, catalogV2, frontend })
        {
            await Poll.UntilAsync(() => MeshFixture.IsOkAsync(http, $"{url}/healthz"), TimeSpan.FromSeconds(60), () => process.Output);
        }

        await Register(mesh, "frontend", ("v1", frontend.Url, "n1"));
        await Register(mesh, "catalog", ("v1", catalogV1.Url, "n2"), ("v2", catalogV2.Url, "n3"));
        await Register(mesh, "inventory", ("v1", inventory.Url, "n1"));
        foreach (var service in new[] { "frontend", "inventory" })
        {
            await CreateRouteAsync(mesh, service, $$"""[{"service":"{{service}}","subset":"v1","weight":100}]""");
        }

        await CreateRouteAsync(mesh, "catalog",
            """[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}]""");
        mesh.ShopUrls = new Dictionary<string, string>
        {
            ["frontend"] = frontend.Url, ["catalog-v1"] = catalogV1.Url, ["catalog-v2"] = catalogV2.Url, ["inventory"] = inventory.Url,
        };
    }

    /// <summary>One more shop instance (say a second catalog v1), answering on its own address once healthy.</summary>
    /// <param name="host">The loopback address it listens and calls from: one of its own (127.0.1.x) makes it known to the gateway by address.</param>
    public static async Task<(string Url, TestProcess Process)> StartInstanceAsync(
        MeshFixture mesh, string role, string subset, string instance, string gateway, string host = "127.0.0.1")
    {
        var url = $"http://{host}:{Ports.Free()}";
        var process = mesh.Track(TestProcess.StartDotnet(instance, Paths.Shop,
            ["--role", role, "--subset", subset, "--instance", instance, "--urls", url, "--gateway", gateway]));
        using var http = new HttpClient();
        await Poll.UntilAsync(() => MeshFixture.IsOkAsync(http, $"{url}/healthz"), TimeSpan.FromSeconds(60), () => process.Output);
        return (url, process);
    }

    /// <summary>The shop's load generator: GET frontend through gateway n1, bounded in time.</summary>
    public static TestProcess StartLoad(MeshFixture mesh, int rps, int seconds) =>
        mesh.Track(TestProcess.StartDotnet("loadgen", Paths.Shop,
            ["--role", "load", "--gateway", mesh.Gateways[0].ProxyUrl, "--rps", rps.ToString(), "--duration", seconds.ToString()]));

    /// <summary>
    /// Each workload of the demo listens and calls from a loopback address of its own, as a pod has its own
    /// IP, so the gateways know every caller by its address.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Addresses = new Dictionary<string, string>
    {
        ["frontend-v1"] = "127.0.1.1", ["catalog-v1"] = "127.0.1.11", ["catalog-v2"] = "127.0.1.12", ["inventory-v1"] = "127.0.1.21",
    };

    private static (string Url, TestProcess Process) Start(MeshFixture mesh, string role, string subset, string gateway)
    {
        var url = $"http://{Addresses[$"{role}-{subset}"]}:{Ports.Free()}";
        var process = mesh.Track(TestProcess.StartDotnet($"{role}-{subset}", Paths.Shop,
            ["--role", role, "--subset", subset, "--instance", $"{role}-{subset}", "--urls", url, "--gateway", gateway]));
        return (url, process);
    }

    private static Task Register(MeshFixture mesh, string service, params (string Subset, string Url, string Node)[] subsets)
    {
        var json = string.Join(',', subsets.Select(s =>
            $$"""{"name":"{{s.Subset}}","instances":[{"id":"{{service}}-{{s.Subset}}","address":"{{s.Url}}","node":"{{s.Node}}"}]}"""));
        return mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services", $$"""{"name":"{{service}}","owner":"demo","subsets":[{{json}}]}""");
    }

    private static Task CreateRouteAsync(MeshFixture mesh, string id, string backends) =>
        mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes", $$"""{"id":"{{id}}","match":{"hosts":["{{id}}"]},"backends":{{backends}}}""");
}

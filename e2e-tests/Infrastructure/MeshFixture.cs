namespace MeshPortal.E2ETests.Infrastructure;

public sealed record GatewayNode(string Node, string ProxyUrl, string AdminUrl, TestProcess Process)
{
    /// <summary>Where the gateway takes mTLS hops from its peers (https://127.0.0.1:port).</summary>
    public string InboundUrl { get; init; } = "";

    /// <summary>What the gateway was started with, so it can be restarted as the same gateway.</summary>
    public string Token { get; init; } = "";

    public string StateDirectory { get; init; } = "";

    public string PortalUrl { get; init; } = "";

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The whole mesh, every part real: a fresh PostgreSQL database, the portal, gateways n1-n3 with
/// minted tokens, and the demo shop registered through the API. Ports are picked free.
/// </summary>
public sealed class MeshFixture : IAsyncLifetime
{
    private readonly List<TestProcess> _processes = [];
    private readonly string _stateDir = Directory.CreateTempSubdirectory("meshportal-e2e-").FullName;
    private readonly IReadOnlyDictionary<string, string> _gatewayEnvironment;
    private readonly (string Key, string Value)[] _portalSettings;

    /// <summary>Encrypts the portal's data-protection keys at rest; every replica gets the same one.</summary>
    private readonly string _keyProtectionKey = PortalProcess.NewKeyProtectionKey();
    private TestDatabase? _db;

    public MeshFixture()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A mesh whose gateways n1-n3 get <paramref name="gatewayEnvironment"/> too (such as Gateway__MaxRoutes).</summary>
    /// <param name="portalSettings">Settings for the portal too (such as Portal__MeshCa__CertificateLifetime).</param>
    internal MeshFixture(IReadOnlyDictionary<string, string> gatewayEnvironment, params (string Key, string Value)[] portalSettings)
    {
        _gatewayEnvironment = gatewayEnvironment;
        _portalSettings = portalSettings;
    }

    public string PortalUrl { get; private set; } = "";
    public string AdminUser { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";
    public MeshApi Api { get; private set; } = null!;
    public string ApiKey { get; private set; } = "";
    public TestProcess Portal { get; private set; } = null!;
    public IReadOnlyList<GatewayNode> Gateways { get; private set; } = [];

    /// <summary>Each demo shop instance's own address (not through a gateway), by instance name.</summary>
    public IReadOnlyDictionary<string, string> ShopUrls { get; internal set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("e2e");
        await StartFirstPortalAsync();
        var gateways = new List<GatewayNode>();
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            gateways.Add(await StartGatewayAsync(node, await MintTokenAsync(node), env: _gatewayEnvironment));
        }

        Gateways = gateways;
        await DemoShop.StartAsync(this);
        await WaitAllSyncedAsync();
    }

    private async Task StartFirstPortalAsync()
    {
        PortalUrl = $"http://127.0.0.1:{Ports.Free()}";
        var credentials = Path.Combine(_stateDir, "credentials");
        Portal = LaunchPortal(credentials);
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(credentials)), TimeSpan.FromSeconds(60), () => Portal.Output);
        var values = File.ReadAllLines(credentials).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        AdminUser = values["ADMIN_USER"];
        AdminPassword = values["ADMIN_PASSWORD"];
        ApiKey = values["API_KEY"];
        Api = new MeshApi(PortalUrl, ApiKey);
        await Poll.UntilAsync(() => IsOkAsync(Api.Http, $"{PortalUrl}/readyz"), TimeSpan.FromSeconds(60), () => Portal.Output);
    }

    private TestProcess LaunchPortal(string credentialsFile) =>
        Track(PortalProcess.Start("portal", PortalUrl, _db!.ConnectionString, _keyProtectionKey, [("Portal__CredentialsFile", credentialsFile), .. _portalSettings]));

    /// <summary>Kills the portal (as a crash would): gateways lose their hub connection.</summary>
    public ValueTask StopPortalAsync() => Portal.DisposeAsync();

    /// <summary>Starts the portal again on the same address and database, once ready.</summary>
    public async Task StartPortalAsync()
    {
        Portal = LaunchPortal(Path.Combine(_stateDir, "credentials"));
        await Poll.UntilAsync(() => IsOkAsync(Api.Http, $"{PortalUrl}/readyz"), TimeSpan.FromSeconds(60), () => Portal.Output, intervalMs: 10);
    }

    /// <summary>A second portal on the same database, as a replica behind a load balancer would be.</summary>
    public async Task<(string Url, TestProcess Process)> StartPortalReplicaAsync(params (string Key, string Value)[] settings)
    {
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var process = Track(PortalProcess.Start("portal-replica", url, _db!.ConnectionString, _keyProtectionKey, settings));
        await Poll.UntilAsync(() => IsOkAsync(Api.Http, $"{url}/readyz"), TimeSpan.FromSeconds(60), () => process.Output);
        return (url, process);
    }

    public async Task<string> MintTokenAsync(string node)
    {
        var minted = await Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", $$"""{"node":"{{node}}"}""");
        return minted.GetProperty("token").GetString()!;
    }

    public Task<GatewayNode> StartGatewayAsync(
        string node, string token, bool waitHealthy = true, string? portalUrl = null, IReadOnlyDictionary<string, string>? env = null) =>
        LaunchGatewayAsync(new GatewayNode(node, $"http://127.0.0.1:{Ports.Free()}", $"http://127.0.0.1:{Ports.Free()}", null!)
        {
            Token = token,
            InboundUrl = $"https://127.0.0.1:{Ports.Free()}",
            StateDirectory = Path.Combine(_stateDir, $"gateway-{node}-{Guid.NewGuid():N}"),
            PortalUrl = portalUrl ?? PortalUrl,
            Environment = env ?? new Dictionary<string, string>(),
        }, waitHealthy);

    /// <summary>
    /// Kills <paramref name="gateway"/> and starts it again with the same ports, token and state
    /// directory (so with its last-known-good config); it replaces the old one in <see cref="Gateways"/>.
    /// </summary>
    /// <param name="portalUrl">Another portal URL (or comma-separated replica URLs) for the new process.</param>
    public async Task<GatewayNode> RestartGatewayAsync(GatewayNode gateway, string? portalUrl = null)
    {
        await gateway.Process.DisposeAsync();
        var restarted = await LaunchGatewayAsync(gateway with { PortalUrl = portalUrl ?? gateway.PortalUrl }, waitHealthy: true);
        Gateways = [.. Gateways.Select(g => g == gateway ? restarted : g)];
        return restarted;
    }

    private async Task<GatewayNode> LaunchGatewayAsync(GatewayNode gateway, bool waitHealthy)
    {
        var env = new Dictionary<string, string>(gateway.Environment)
        {
            ["Gateway__PortalUrl"] = gateway.PortalUrl,
            ["Gateway__Node"] = gateway.Node,
            ["Gateway__ProxyUrl"] = gateway.ProxyUrl,
            ["Gateway__AdminUrl"] = gateway.AdminUrl,
            ["Gateway__InboundUrl"] = gateway.InboundUrl,
            ["Gateway__StateDirectory"] = gateway.StateDirectory,
        };

        // A gateway started with a token file or a join token in its environment has no token here.
        if (gateway.Token.Length > 0)
        {
            env["Gateway__Token"] = gateway.Token;
        }
        var process = Track(TestProcess.StartDotnet($"gateway-{gateway.Node}", Paths.Gateway, [], env));
        if (waitHealthy)
        {
            using var http = new HttpClient();
            await Poll.UntilAsync(() => IsOkAsync(http, $"{gateway.AdminUrl}/healthz"), TimeSpan.FromSeconds(60), () => process.Output);
        }

        return gateway with { Process = process };
    }

    public TestProcess Track(TestProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public async Task WaitAllSyncedAsync(long? revision = null)
    {
        IReadOnlyList<GatewayView> seen = [];
        await Poll.UntilAsync(async () =>
        {
            var head = revision ?? (await Api.RevisionAsync()).Revision;
            seen = await Api.GatewaysAsync();
            return seen.Count(g => g.State == "SYNCED" && g.AppliedRevision >= head) >= Gateways.Count;
        }, TimeSpan.FromSeconds(30), () => string.Join("; ", seen));
    }

    public static async Task<bool> IsOkAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>What every process printed: attached to a failing test's message.</summary>
    public string Logs() => string.Join("\n\n", _processes.Select(p => $"--- {p.Name} ---\n{p.Output}"));

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        Directory.Delete(_stateDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class MeshCollection : ICollectionFixture<MeshFixture>
{
    public const string Name = "mesh";
}

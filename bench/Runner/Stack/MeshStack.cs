using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.Infra;
using Npgsql;

namespace MeshPortal.Bench.Runner.Stack;

public sealed record GatewayProcess(string Node, string ProxyUrl, string AdminUrl);

/// <summary>
/// The real mesh the benchmarks measure: a portal on its own database, gateways n1-n3 with minted
/// tokens, and the backends. Everything on loopback, on free ports.
/// </summary>
internal sealed class MeshStack(Settings settings) : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly Dictionary<string, ChildProcess> _gateways = [];
    private readonly string _database = $"bench_mesh_{Environment.ProcessId}";

    public string PortalUrl { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";
    public PortalApi Api { get; private set; } = null!;
    public string ApiKey { get; private set; } = "";

    /// <summary>The portal's pid, so the control-plane benchmark can charge it for CPU.</summary>
    public int PortalPid { get; private set; }
    public List<GatewayProcess> Gateways { get; } = [];

    public async Task StartPortalAsync(CancellationToken ct)
    {
        await using (var admin = NpgsqlDataSource.Create(settings.PostgresServer))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {_database}"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(settings.PostgresServer) { Database = _database }.ConnectionString;
        PortalUrl = Ports.FreeUrl();
        var credentials = Path.Combine(settings.WorkDirectory, "credentials");
        var portal = Track(ChildProcess.StartDotnet("portal", settings.WorkDirectory, settings.Dll("portal", "MeshPortal.Portal"), [],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = PortalUrl,
                ["ConnectionStrings__Mesh"] = ConnectionString,
                ["Portal__PublicUrl"] = PortalUrl,
                ["Portal__CredentialsFile"] = credentials,
                ["Portal__DataProtection__Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            }));
        await Wait.HttpOkAsync($"{PortalUrl}/readyz", TimeSpan.FromSeconds(90), portal, ct);
        PortalPid = portal.Id;
        ApiKey = File.ReadAllLines(credentials).Single(l => l.StartsWith("API_KEY=", StringComparison.Ordinal))["API_KEY=".Length..];
        Api = new PortalApi(PortalUrl, ApiKey);
    }

    /// <summary>A bench backend (1 KB answers); its pid is the process to charge for CPU.</summary>
    public async Task<(string Url, ChildProcess Process)> StartBackendAsync(string name, CancellationToken ct)
    {
        var url = Ports.FreeUrl();
        var backend = Track(ChildProcess.StartDotnet(name, settings.WorkDirectory, settings.Dll("bench/Backend", "MeshPortal.Bench.Backend"), ["--urls", url]));
        await Wait.HttpOkAsync($"{url}/", TimeSpan.FromSeconds(60), backend, ct);
        return (url, backend);
    }

    /// <param name="inboundUrl">Where the gateway takes mTLS hops from its peers; null for none.</param>
    public async Task<ChildProcess> StartGatewayAsync(string node, CancellationToken ct, string? inboundUrl = null)
    {
        var gateway = new GatewayProcess(node, Ports.FreeUrl(), Ports.FreeUrl());
        var process = Track(ChildProcess.StartDotnet($"gateway-{node}", settings.WorkDirectory, settings.Dll("gateway", "MeshPortal.Gateway"), [],
            new Dictionary<string, string>
            {
                ["Gateway__PortalUrl"] = PortalUrl,
                ["Gateway__Token"] = await Api.MintGatewayTokenAsync(node),
                ["Gateway__Node"] = node,
                ["Gateway__ProxyUrl"] = gateway.ProxyUrl,
                ["Gateway__AdminUrl"] = gateway.AdminUrl,
                ["Gateway__StateDirectory"] = Path.Combine(settings.WorkDirectory, $"gateway-{node}"),
                ["Gateway__InboundUrl"] = inboundUrl ?? "",
            }));
        await Wait.HttpOkAsync($"{gateway.AdminUrl}/healthz", TimeSpan.FromSeconds(60), process, ct);
        Gateways.Add(gateway);
        _gateways[node] = process;
        return process;
    }

    public async Task StopGatewaysAsync()
    {
        foreach (var process in _gateways.Values)
        {
            _processes.Remove(process);
            await process.DisposeAsync();
        }

        _gateways.Clear();
        Gateways.Clear();
    }

    public ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        if (ConnectionString.Length > 0)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(settings.PostgresServer);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }
}

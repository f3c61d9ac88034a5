using System.Security.Cryptography;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.E2ETests.Scale;

/// <summary>
/// A portal of its own holding 1,000 services (20 owners) and their routes, registered through the
/// API, and a gateway connection (a real SignalR fleet connection with a minted token) reporting
/// 3,000 edges of traffic every second: each service calls three others, every 33rd service fails half its calls.
/// </summary>
public sealed class ScaleMesh : IAsyncLifetime
{
    public const int Services = 1000;
    public const int CallsPerService = 3;
    private const string Node = "scale1";
    private readonly CancellationTokenSource _stop = new();
    private Task _traffic = Task.CompletedTask;
    private FleetHubClient? _gateway;

    public string PortalUrl { get; } = $"http://127.0.0.1:{Ports.Free()}";
    public string AdminUser { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";
    public MeshApi Api { get; private set; } = null!;
    public TestProcess Portal { get; private set; } = null!;
    private TestDatabase Database { get; set; } = null!;

    public static string Name(int i) => $"svc-{i % Services + 1:D4}";

    public static IEnumerable<int> Callees(int i) => [i + 1, i + 7, i + 31];

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("scale");
        var stateDir = Directory.CreateTempSubdirectory("meshportal-scale-").FullName;
        var credentials = Path.Combine(stateDir, "credentials");
        Portal = TestProcess.StartDotnet("scale-portal", Paths.Portal, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = PortalUrl,
            ["ConnectionStrings__Mesh"] = Database.ConnectionString,
            ["Portal__PublicUrl"] = PortalUrl,
            ["Portal__CredentialsFile"] = credentials,
            ["Portal__DataProtection__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(credentials) && File.ReadAllText(credentials).Contains("API_KEY=")),
            TimeSpan.FromSeconds(60), () => Portal.Output);
        var values = File.ReadAllLines(credentials).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        (AdminUser, AdminPassword) = (values["ADMIN_USER"], values["ADMIN_PASSWORD"]);
        Api = new MeshApi(PortalUrl, values["API_KEY"]);
        Directory.Delete(stateDir, recursive: true);
        await Poll.UntilAsync(() => MeshFixture.IsOkAsync(Api.Http, $"{PortalUrl}/readyz"), TimeSpan.FromSeconds(60), () => Portal.Output);

        // YAML is a superset of JSON: the whole mesh in one all-or-nothing import.
        using var body = new StringContent(JsonSerializer.Serialize(Config(), MeshJson.Options));
        var imported = await Api.Http.PutAsync($"{PortalUrl}/api/config?reason=scale", body);
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        var token = (await Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", $$"""{"node":"{{Node}}"}""")).GetProperty("token").GetString()!;
        _gateway = await FleetHubClient.ConnectAsync(PortalUrl, token);
        await _gateway.HelloAsync(Node, "gw-scale1");
        _traffic = Task.Run(() => TrafficAsync(_stop.Token));
        await Poll.UntilAsync(async () => (await Api.Http.GetStringAsync($"{PortalUrl}/api/topology")).Contains(Name(999)),
            TimeSpan.FromSeconds(30), () => Portal.Output);
    }

    private static MeshConfig Config() => new()
    {
        Services = [.. Enumerable.Range(0, Services).Select(i => new ServiceConfig
        {
            Name = Name(i),
            Owner = $"team-{i % 20 + 1:D2}",
            Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = $"{Name(i)}-1", Address = "http://127.0.0.1:9", Node = Node }] }],
        })],
        Routes = [.. Enumerable.Range(0, Services).Select(i => new RouteConfig
        {
            Id = Name(i),
            Match = new RouteMatch { Hosts = [$"{Name(i)}.mesh"] },
            Backends = [new BackendRef { Service = Name(i), Subset = "v1", Weight = 100 }],
        })],
    };

    /// <summary>As a gateway does: one batch a second, one record per edge and status class.</summary>
    private async Task TrafficAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                await _gateway!.SendTelemetryAsync(new TelemetryBatch { Node = Node, UnixSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Records = [.. Records()] });
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
            // The fixture is being disposed: the gateway stops reporting.
        }
    }

    private static IEnumerable<TelemetryRecord> Records()
    {
        for (var i = 0; i < Services; i++)
        {
            foreach (var callee in Callees(i))
            {
                var failing = callee % Services % 33 == 0;
                var count = 1 + callee % 7;
                yield return Record(Name(i), Name(callee), 2, count);
                if (failing)
                {
                    yield return Record(Name(i), Name(callee), 5, count);
                }
            }
        }
    }

    private static TelemetryRecord Record(string source, string service, int statusClass, long count) => new()
    {
        Source = source, Route = service, Service = service, Subset = "v1", StatusClass = statusClass, Count = count,
        Latency = [.. Enumerable.Range(0, LatencyBuckets.Count).Select(b => b == 6 ? count : 0L)],
    };

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _traffic.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        Api?.Dispose();
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        _stop.Dispose();
    }
}

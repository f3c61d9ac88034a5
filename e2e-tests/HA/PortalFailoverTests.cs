using System.Diagnostics;
using MeshPortal.E2ETests.Gateway;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.HA;

/// <summary>Two portal replicas on one database, three gateways spread across them, each told both URLs.</summary>
[Collection(HaCollection.Name)]
public sealed class PortalFailoverTests(HaFixture fixture, ITestOutputHelper output)
{
    private const string Probe = "ha-probe";

    [Fact]
    public async Task TwoReplicas_OneKilled_BothSawEverythingAndItsGatewaysSyncOnTheOtherWithoutAFailedRequest()
    {
        var mesh = fixture.Mesh;
        var a = mesh.PortalUrl;
        var (b, replicaB) = await mesh.StartPortalReplicaAsync();
        using var apiB = new MeshApi(b, mesh.ApiKey);
        await mesh.RestartGatewayAsync(mesh.Gateways[0], $"{a},{b}");
        await mesh.RestartGatewayAsync(mesh.Gateways[1], $"{b},{a}");
        await mesh.RestartGatewayAsync(mesh.Gateways[2], $"{b},{a}");
        var head = (await mesh.Api.RevisionAsync()).Revision;

        // Every replica lists every gateway, SYNCED at the same revision, whichever replica holds it.
        IReadOnlyList<GatewayView> onA = [], onB = [];
        await Poll.UntilAsync(async () =>
        {
            onA = Live(await mesh.Api.GatewaysAsync());
            onB = Live(await apiB.GatewaysAsync());
            return AllSynced(onA, head) && AllSynced(onB, head);
        }, TimeSpan.FromSeconds(15), () => $"A: {string.Join("; ", onA)}\nB: {string.Join("; ", onB)}\n{mesh.Logs()}");
        var replicaA = onA.Single(g => g.Node == "n1").Replica;
        var replicaOfB = onA.Single(g => g.Node == "n2").Replica;
        Assert.NotEqual(replicaA, replicaOfB);
        Assert.Equal(replicaOfB, onA.Single(g => g.Node == "n3").Replica);
        Assert.Equal(onA.Select(g => (g.Node, g.Replica)), onB.Select(g => (g.Node, g.Replica)));

        // Traffic through n2 reaches B only, yet both replicas draw it.
        await SendProbeAsync(mesh.Gateways[1].ProxyUrl);
        foreach (var api in new[] { mesh.Api, apiB })
        {
            await Poll.UntilAsync(async () => (await api.Http.GetStringAsync("/api/topology")).Contains(Probe),
                TimeSpan.FromSeconds(2), () => $"no edge from {Probe} on {api.Http.BaseAddress}");
        }

        using var load = new SteadyLoad([.. mesh.Gateways.Select(g => g.ProxyUrl)]);
        using var stopLoad = new CancellationTokenSource();
        var running = load.RunAsync(rps: 150, requests: int.MaxValue, stopLoad.Token);
        await Task.Delay(1000);
        await replicaB.DisposeAsync();
        var killed = Stopwatch.StartNew();

        await Poll.UntilAsync(async () =>
        {
            onA = Live(await mesh.Api.GatewaysAsync());
            return AllSynced(onA, head) && onA.All(g => g.Replica == replicaA);
        }, TimeSpan.FromSeconds(5), () => $"A: {string.Join("; ", onA)}\n{mesh.Logs()}");
        output.WriteLine($"n2 and n3 SYNCED on replica A {killed.ElapsedMilliseconds} ms after B was killed");

        var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":70},{"service":"catalog","subset":"v2","weight":30}],"reason":"e2e: after failover"}""");
        var revision = changed.GetProperty("revision").GetInt64();
        await Poll.UntilAsync(async () => AllSynced(onA = Live(await mesh.Api.GatewaysAsync()), revision),
            TimeSpan.FromSeconds(5), () => string.Join("; ", onA));

        await Task.Delay(1000);
        await stopLoad.CancelAsync();
        await running;
        output.WriteLine($"{load.Completed} requests through the gateways while replica B died");
        Assert.True(load.Completed > 500, $"only {load.Completed} requests were sent");
        Assert.DoesNotContain(load.Outcomes, o => o.Failed);
    }

    /// <summary>The row of each gateway process now running (the restarted ones left DISCONNECTED rows).</summary>
    private static IReadOnlyList<GatewayView> Live(IReadOnlyList<GatewayView> gateways) =>
        [.. gateways.Where(g => g.State != "DISCONNECTED").OrderBy(g => g.Node, StringComparer.Ordinal)];

    private static bool AllSynced(IReadOnlyList<GatewayView> live, long revision) =>
        live.Select(g => g.Node).SequenceEqual(["n1", "n2", "n3"]) && live.All(g => g.State == "SYNCED" && g.AppliedRevision == revision);

    private static async Task SendProbeAsync(string gateway)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway}/") { Headers = { Host = "catalog" } };
            request.Headers.Add("x-mesh-source", Probe);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }
}

/// <summary>A mesh of its own: the test kills one of its portal replicas.</summary>
public sealed class HaFixture : IAsyncLifetime
{
    public MeshFixture Mesh { get; } = new();

    public Task InitializeAsync() => Mesh.InitializeAsync();

    public Task DisposeAsync() => Mesh.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class HaCollection : ICollectionFixture<HaFixture>
{
    public const string Name = "ha";
}

using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>A gateway token used as an attacker would, over a real SignalR connection to the real portal.</summary>
[Collection(MeshCollection.Name)]
public sealed class FleetSpoofingTests(MeshFixture mesh)
{
    [Fact]
    public async Task Hello_ForAnotherNode_ConnectionAbortedAndOtherNodeUntouched()
    {
        var token = await mesh.MintTokenAsync("f3");
        await mesh.WaitAllSyncedAsync();
        var before = (await mesh.Api.GatewaysAsync()).Where(g => g.Node == "n1").ToList();
        await using var intruder = await FleetHubClient.ConnectAsync(mesh.PortalUrl, token);

        await Assert.ThrowsAnyAsync<Exception>(() => intruder.HelloAsync("n1", before[0].GatewayId, 1_000_000_000_000, "x"));

        await intruder.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        var after = (await mesh.Api.GatewaysAsync()).Where(g => g.Node == "n1").ToList();
        Assert.Equal(before.Select(g => (g.GatewayId, g.State, g.AppliedRevision)), after.Select(g => (g.GatewayId, g.State, g.AppliedRevision)));
        Assert.DoesNotContain(await mesh.Api.GatewaysAsync(), g => g.Node == "f3");
    }

    [Fact]
    public async Task Messages_BeforeHello_RefusedAndNoConfigSent()
    {
        var head = await mesh.Api.RevisionAsync();
        await using var gateway = await FleetHubClient.ConnectAsync(mesh.PortalUrl, await mesh.MintTokenAsync("f4"));

        Assert.False(await gateway.AckAsync(head.Revision, head.Hash));
        Assert.False(await gateway.TelemetryAsync(FleetHubClient.Batch("f4", Now, ["f4-before-hello"])));

        Assert.DoesNotContain(await mesh.Api.GatewaysAsync(), g => g.Node == "f4");
        Assert.Empty(gateway.Received);
        Assert.DoesNotContain("f4-before-hello", await TopologyAsync());
    }

    [Fact]
    public async Task Ack_RevisionNeverPushedOrWrongHash_NotSynced()
    {
        await using var gateway = await FleetHubClient.ConnectAsync(mesh.PortalUrl, await mesh.MintTokenAsync("f5"));
        await gateway.HelloAsync("f5", "gw-f5", 1_000_000_000_000, "any-hash");
        var head = await mesh.Api.RevisionAsync();
        Assert.NotEqual("SYNCED", await StateAsync("f5"));

        Assert.False(await gateway.AckAsync(1_000_000_000_000, "any-hash"));
        Assert.False(await gateway.AckAsync(head.Revision, "not-the-hash"));
        var row = (await mesh.Api.GatewaysAsync()).Single(g => g.Node == "f5");
        Assert.NotEqual("SYNCED", row.State);
        Assert.Equal(0, row.AppliedRevision);

        // The real head with its real hash is what a gateway that applied it sends: that one counts.
        Assert.True(await gateway.AckAsync(head.Revision, head.Hash));
        Assert.Equal("SYNCED", await StateAsync("f5"));
    }

    [Fact]
    public async Task Close_ConnectionThatSaidHelloManyTimes_OneRowDisconnectedAtOnceNotCountedAsSynced()
    {
        var token = await mesh.MintTokenAsync("f6");
        var head = await mesh.Api.RevisionAsync();
        var gateway = await FleetHubClient.ConnectAsync(mesh.PortalUrl, token);
        for (var i = 0; i < 200; i++)
        {
            await gateway.HelloAsync("f6", $"gw-f6-{i}", head.Revision, head.Hash);
        }

        Assert.Equal("SYNCED", Assert.Single(await mesh.Api.GatewaysAsync(), g => g.Node == "f6").State);
        Assert.Empty(gateway.Received);

        await gateway.DisposeAsync();
        var row = Assert.Single(await mesh.Api.GatewaysAsync(), g => g.Node == "f6");
        Assert.Equal("DISCONNECTED", row.State);

        // The next change converges when every live gateway has it; the closed one does not count.
        var revision = 0L;
        foreach (var v1 in new[] { 51, 50 })
        {
            var split = $$"""{"backends":[{"service":"catalog","subset":"v1","weight":{{v1}}},{"service":"catalog","subset":"v2","weight":{{100 - v1}}}],"reason":"fleet e2e"}""";
            revision = (await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", split)).GetProperty("revision").GetInt64();
        }

        await mesh.WaitAllSyncedAsync(revision);
        JsonElement convergence = default;
        await Poll.UntilAsync(async () =>
        {
            convergence = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/convergence")).RootElement.EnumerateArray().FirstOrDefault();
            return convergence.ValueKind == JsonValueKind.Object && convergence.GetProperty("revision").GetInt64() == revision;
        }, TimeSpan.FromSeconds(10), () => convergence.ToString());
        var gateways = await mesh.Api.GatewaysAsync();
        Assert.Equal(gateways.Count(g => g.State != "DISCONNECTED"), convergence.GetProperty("gateways").GetInt32());
        Assert.Equal("DISCONNECTED", gateways.Single(g => g.Node == "f6").State);
    }

    [Fact]
    public async Task Telemetry_ForAnotherNodeOrFromTheFuture_NotInTopology()
    {
        await using var gateway = await FleetHubClient.ConnectAsync(mesh.PortalUrl, await mesh.MintTokenAsync("f7"));
        await gateway.HelloAsync("f7", "gw-f7");

        Assert.False(await gateway.TelemetryAsync(FleetHubClient.Batch("n1", Now, ["f7-as-n1"])));
        Assert.False(await gateway.TelemetryAsync(FleetHubClient.Batch("f7", Now + 3_600, ["f7-future"])));
        Assert.False(await gateway.TelemetryAsync(FleetHubClient.Batch("f7", Now - 3_600, ["f7-past"])));
        Assert.True(await gateway.TelemetryAsync(FleetHubClient.Batch("f7", Now, ["f7-now"])));

        var topology = await TopologyAsync();
        Assert.Contains("f7-now", topology);
        Assert.DoesNotContain("f7-as-n1", topology);
        Assert.DoesNotContain("f7-future", topology);
        Assert.DoesNotContain("f7-past", topology);
        Assert.Contains("Refused a message from gateway:f7", mesh.Portal.Output);
    }

    /// <summary>
    /// On a portal of its own: the flood's 5,000 sources per batch are real traffic to it, and would crowd the shared
    /// mesh's graph. Its records refill at 100 a second instead of 10,000, so the batches let through are the burst's
    /// (three of the 25) however long a loaded machine takes to send them; at the default rate a slow sender gets
    /// more through, and the memory they rightly take would measure the machine instead of the refusal.
    /// </summary>
    [Fact]
    public async Task Telemetry_BurstOfBiggestBatches_PortalMemoryGrowsUnder50MB()
    {
        await using var db = await TestDatabase.CreateAsync("flood");
        await using var portal = await LonePortal.StartAsync(db.ConnectionString, ("Fleet__TelemetryRecordsPerSecond", "100"));
        var token = (await portal.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", """{"node":"f8"}""")).GetProperty("token").GetString()!;
        await using var gateway = await FleetHubClient.ConnectAsync(portal.Url, token);
        await gateway.HelloAsync("f8", "gw-f8");

        // A fresh process is still loading code: warm the telemetry and topology paths first.
        for (var i = 0; i < 3; i++)
        {
            await gateway.TelemetryAsync(FleetHubClient.Batch("f8", Now, Enumerable.Range(0, 500).Select(k => $"warm-{i}-{k}")));
            await portal.Api.Http.GetStringAsync("/api/topology");
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = portal.Process.ResidentBytes;

        for (var i = 0; i < 25; i++)
        {
            var sources = Enumerable.Range(0, 5_000).Select(k => $"f8-{i:D2}-{k:D4}".PadRight(63, '<'));
            await gateway.SendTelemetryAsync(FleetHubClient.Batch("f8", Now, sources));
        }

        // Invocations of one connection are handled in order: once this is answered, the burst has been.
        await gateway.TelemetryAsync(FleetHubClient.Batch("f8", Now, ["f8-after"]));
        var grown = portal.Process.ResidentBytes - before;
        Assert.True(grown < 50 * 1024 * 1024, $"portal grew by {grown / 1024 / 1024} MB");
        Assert.Contains("TelemetryRateExceeded", portal.Process.Output);
    }

    [Fact]
    public async Task RequestSnapshot_AskedInALoop_PacedToOneASecondAndOthersUnaffected()
    {
        await using var spammer = await FleetHubClient.ConnectAsync(mesh.PortalUrl, await mesh.MintTokenAsync("f9"));
        await spammer.HelloAsync("f9", "gw-f9");
        await Poll.UntilAsync(() => Task.FromResult(!spammer.Received.IsEmpty), TimeSpan.FromSeconds(10), () => "the Hello snapshot");
        await using var other = await FleetHubClient.ConnectAsync(mesh.PortalUrl, await mesh.MintTokenAsync("f10"));
        await other.HelloAsync("f10", "gw-f10");
        await Poll.UntilAsync(() => Task.FromResult(!other.Received.IsEmpty), TimeSpan.FromSeconds(10), () => "the Hello snapshot");

        var asked = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            await spammer.SendRequestSnapshotAsync();
        }

        // The other gateway is answered at once while the spammer's requests wait their turns.
        var answered = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await other.RequestSnapshotAsync());
        Assert.True(answered.Elapsed < TimeSpan.FromSeconds(1), $"another gateway waited {answered.Elapsed.TotalMilliseconds:0} ms");

        if (TimeSpan.FromSeconds(2.5) - asked.Elapsed is { Ticks: > 0 } rest)
        {
            await Task.Delay(rest);
        }

        // Paced, 50 asks in 2.5 s get three snapshots (at 0, 1 and 2 s); unpaced they would get 50.
        var sent = spammer.Received.Count - 1;
        Assert.InRange(sent, 1, 4);
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private async Task<string> StateAsync(string node) => (await mesh.Api.GatewaysAsync()).Single(g => g.Node == node).State;

    private async Task<string> TopologyAsync() => await mesh.Api.Http.GetStringAsync("/api/topology?window=900");
}

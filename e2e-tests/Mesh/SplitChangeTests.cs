using System.Diagnostics;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

[Collection(MeshCollection.Name)]
public sealed class SplitChangeTests(MeshFixture mesh)
{
    private const string Split5050 = """{"backends":[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}],"reason":"e2e: even split"}""";
    private const string Split1000 = """{"backends":[{"service":"catalog","subset":"v1","weight":100},{"service":"catalog","subset":"v2","weight":0}],"reason":"e2e: all to v1"}""";

    [Fact]
    public async Task PutSplit_100To0_EveryGatewayAppliesWithinOneSecondAndOnlyV1Answers()
    {
        var even = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split5050);
        await mesh.WaitAllSyncedAsync(even.GetProperty("revision").GetInt64());
        var before = await CountSubsetsAsync(mesh.Gateways[0].ProxyUrl, 400);
        Assert.InRange(before.GetValueOrDefault("v1"), 140, 260);
        Assert.InRange(before.GetValueOrDefault("v2"), 140, 260);

        var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split1000);
        var clock = Stopwatch.StartNew();
        var revision = changed.GetProperty("revision").GetInt64();
        IReadOnlyList<GatewayView> gateways = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            gateways = await mesh.Api.GatewaysAsync();
            if (gateways.Count(g => g.State == "SYNCED" && g.AppliedRevision == revision) == 3)
            {
                break;
            }

            await Task.Delay(10);
        }

        Assert.True(gateways.Count(g => g.State == "SYNCED" && g.AppliedRevision == revision) == 3,
            $"after {clock.ElapsedMilliseconds} ms: {string.Join("; ", gateways)}");

        foreach (var gateway in mesh.Gateways)
        {
            var after = await CountSubsetsAsync(gateway.ProxyUrl, 100);
            Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, after);
        }

        await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split5050);
    }

    [Fact]
    public async Task PutSplit_ValidChange_RevisionIsPositionOfNewEvent()
    {
        var head = await mesh.Api.RevisionAsync();
        // 60/40: a split identical to the head would append nothing.
        var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":60},{"service":"catalog","subset":"v2","weight":40}]}""");
        Assert.Equal(head.Revision + 1, changed.GetProperty("revision").GetInt64());
        Assert.Equal(changed.GetProperty("revision").GetInt64(), (await mesh.Api.RevisionAsync()).Revision);
        await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split5050);
    }

    [Theory]
    [InlineData(70, 30)]
    [InlineData(90, 10)]
    public async Task PutSplit_Weighted_TrafficFollowsWithinTwoPoints(int v1, int v2)
    {
        var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            $$"""{"backends":[{"service":"catalog","subset":"v1","weight":{{v1}}},{"service":"catalog","subset":"v2","weight":{{v2}}}]}""");
        await mesh.WaitAllSyncedAsync(changed.GetProperty("revision").GetInt64());

        var counts = await CountSubsetsAsync(mesh.Gateways[1].ProxyUrl, 500);

        Assert.InRange(100.0 * counts.GetValueOrDefault("v1") / 500, v1 - 2, v1 + 2);
        await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split5050);
    }

    /// <summary>Calls catalog through a gateway with <c>Host: catalog</c>, counting answers per subset.</summary>
    public static async Task<Dictionary<string, int>> CountSubsetsAsync(string gateway, int requests)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway}/");
            request.Headers.Host = "catalog";
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            var subset = JsonDocument.Parse(body).RootElement.GetProperty("subset").GetString()!;
            counts[subset] = counts.GetValueOrDefault(subset) + 1;
        }

        return counts;
    }
}

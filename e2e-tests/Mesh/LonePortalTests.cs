using System.Net;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>Issue 9 on a portal with a database of its own: emptying the mesh, losing PostgreSQL.</summary>
public sealed class LonePortalTests
{
    private static string Split(int v1) =>
        $$"""{"backends":[{"service":"catalog","subset":"v1","weight":{{v1}}},{"service":"catalog","subset":"v2","weight":{{100 - v1}}}],"reason":"step {{v1}}"}""";

    [Fact]
    public async Task Rollback_ToZeroConfirmed_AppliedAndMeshEmpty()
    {
        await using var db = await TestDatabase.CreateAsync("lone");
        await using var portal = await LonePortal.StartAsync(db.ConnectionString);
        await portal.SeedAsync();
        var seeded = await portal.Api.RevisionAsync();

        using var refused = await portal.Api.SendAsync(HttpMethod.Post, "/api/rollback", """{"revision":0}""");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(seeded, await portal.Api.RevisionAsync());

        var applied = await portal.Api.SendOkAsync(HttpMethod.Post, "/api/rollback", """{"revision":0,"reason":"start over","confirm":true}""");

        Assert.True(applied.GetProperty("revision").GetInt64() > seeded.Revision);
        Assert.Equal("[]", JsonDocument.Parse(await portal.Api.Http.GetStringAsync("/api/routes")).RootElement.GetRawText());
        Assert.Equal("[]", JsonDocument.Parse(await portal.Api.Http.GetStringAsync("/api/services")).RootElement.GetRawText());
        var latest = JsonDocument.Parse(await portal.Api.Http.GetStringAsync("/api/history?limit=1")).RootElement.GetProperty("events")[0];
        Assert.Equal("rollback to revision 0: start over", latest.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task PostgresKilled_Writes503WithRetryAfter_ReadyzNotReady_ThenRecoversWithNothingLost()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var portal = await LonePortal.StartAsync(cluster.ConnectionString());
        await portal.Api.SendOkAsync(HttpMethod.Post, "/api/services",
            """{"name":"catalog","subsets":[{"name":"v1","instances":[{"id":"c1","address":"http://127.0.0.1:9"}]},{"name":"v2","instances":[{"id":"c2","address":"http://127.0.0.1:9"}]}]}""");
        await portal.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
            """{"id":"catalog","match":{"hosts":["catalog"]},"backends":[{"service":"catalog","subset":"v1","weight":100}]}""");
        var acknowledged = new List<(long Revision, string Reason)>();
        for (var v1 = 10; v1 <= 30; v1 += 10)
        {
            var ok = await portal.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split(v1));
            acknowledged.Add((ok.GetProperty("revision").GetInt64(), $"step {v1}"));
        }

        cluster.KillPostmaster();

        using var write = await portal.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", Split(40));
        var body = await write.Content.ReadAsStringAsync();
        Assert.True(write.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)write.StatusCode}: {body}\n{portal.Process.Output}");
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.True(write.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {write.Headers.RetryAfter}");
        Assert.Contains("unavailable", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        using var anonymous = new HttpClient();
        using (var ready = await anonymous.GetAsync($"{portal.Url}/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("store unavailable", await ready.Content.ReadAsStringAsync());
        }

        await cluster.StartAgainAsync();

        await Poll.UntilAsync(async () =>
        {
            using var retry = await portal.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", Split(50));
            if (retry.IsSuccessStatusCode)
            {
                acknowledged.Add((JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement.GetProperty("revision").GetInt64(), "step 50"));
            }

            return retry.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30), () => portal.Process.Output, intervalMs: 250);
        Assert.True(await MeshFixture.IsOkAsync(anonymous, $"{portal.Url}/readyz"));
        var history = JsonDocument.Parse(await portal.Api.Http.GetStringAsync("/api/history?stream=route-catalog&limit=50"))
            .RootElement.GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("revision").GetInt64(), e.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "")).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a, history));
        Assert.DoesNotContain(history, h => h.Item2 == "step 40");
    }
}

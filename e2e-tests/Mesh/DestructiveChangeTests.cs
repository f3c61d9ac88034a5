using System.Net;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>Issue 9: destructive changes need confirmation, removed routes can come back, no-op writes append nothing.</summary>
[Collection(MeshCollection.Name)]
public sealed class DestructiveChangeTests(MeshFixture mesh)
{
    private static async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Rollback_ToZeroUnconfirmed_409NamesEveryRouteAndNothingAppended()
    {
        var before = await mesh.Api.RevisionAsync();

        using var response = await mesh.Api.SendAsync(HttpMethod.Post, "/api/rollback", """{"revision":0,"reason":"oops"}""");

        var (status, type, body) = await ReadAsync(response);
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, type));
        Assert.Equal("Confirmation required", body.GetProperty("title").GetString());
        var routes = body.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "catalog", "frontend", "inventory" }, routes.ToHashSet());
        var services = body.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "catalog", "frontend", "inventory" }, services);
        Assert.True(body.GetProperty("leavesNoRoutes").GetBoolean());
        Assert.Contains("route 'catalog'", body.GetProperty("detail").GetString());
        Assert.Equal(before, await mesh.Api.RevisionAsync());
    }

    [Fact]
    public async Task DeleteRoute_CarryingTraffic_409NamesTrafficThenConfirmedRemoves()
    {
        await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services",
            $$"""{"name":"carrier","subsets":[{"name":"v1","instances":[{"id":"carrier-1","address":"{{mesh.ShopUrls["inventory"]}}","node":"n1"}]}]}""");
        var created = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
            """{"id":"carrier","match":{"hosts":["carrier"]},"backends":[{"service":"carrier","subset":"v1","weight":100}]}""");
        await mesh.WaitAllSyncedAsync(created.GetProperty("revision").GetInt64());
        await Traffic.SendUntilReportedAsync(mesh, "carrier");
        var before = await mesh.Api.RevisionAsync();

        using var refused = await mesh.Api.Http.DeleteAsync("/api/routes/carrier?reason=cleanup");

        var (status, type, body) = await ReadAsync(refused);
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, type));
        var route = body.GetProperty("routes").EnumerateArray().Single();
        Assert.Equal("carrier", route.GetProperty("id").GetString());
        Assert.True(route.GetProperty("requests").GetInt64() > 0, body.ToString());
        Assert.False(body.GetProperty("leavesNoRoutes").GetBoolean());
        Assert.Equal(before, await mesh.Api.RevisionAsync());

        using var confirmed = await mesh.Api.Http.DeleteAsync("/api/routes/carrier?reason=cleanup&confirm=true");
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mesh.Api.Http.GetAsync("/api/routes/carrier")).StatusCode);

        using var serviceRefused = await mesh.Api.Http.DeleteAsync("/api/services/carrier");
        var (serviceStatus, _, serviceBody) = await ReadAsync(serviceRefused);
        Assert.Equal(HttpStatusCode.Conflict, serviceStatus);
        Assert.Equal("carrier", serviceBody.GetProperty("services").EnumerateArray().Single().GetProperty("name").GetString());
        using var serviceRemoved = await mesh.Api.Http.DeleteAsync("/api/services/carrier?confirm=true");
        Assert.Equal(HttpStatusCode.OK, serviceRemoved.StatusCode);
    }

    [Fact]
    public async Task CreateRoute_AfterRemoval_201AndHistoryShowsCreatedAgain()
    {
        const string Route = """{"id":"again","match":{"hosts":["again"]},"backends":[{"service":"inventory","subset":"v1","weight":100}]}""";
        await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes", Route);
        using var removed = await mesh.Api.Http.DeleteAsync("/api/routes/again");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);

        using var recreated = await mesh.Api.SendAsync(HttpMethod.Post, "/api/routes?reason=back%20again", Route);

        Assert.Equal(HttpStatusCode.Created, recreated.StatusCode);
        var revision = JsonDocument.Parse(await recreated.Content.ReadAsStringAsync()).RootElement.GetProperty("revision").GetInt64();
        var latest = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/history?stream=route-again&limit=1"))
            .RootElement.GetProperty("events")[0];
        Assert.Equal(revision, latest.GetProperty("revision").GetInt64());
        Assert.StartsWith("route 'again' created again", latest.GetProperty("summary").GetString());
        Assert.Equal("back again", latest.GetProperty("reason").GetString());
        using var cleanup = await mesh.Api.Http.DeleteAsync("/api/routes/again");
        Assert.Equal(HttpStatusCode.OK, cleanup.StatusCode);
    }

    [Fact]
    public async Task IdenticalWrites_UnchangedAndRevisionUnchanged()
    {
        var route = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/routes/catalog")).RootElement.GetProperty("route");
        var head = await mesh.Api.RevisionAsync();
        var backends = route.GetProperty("backends").GetRawText();

        var writes = new List<(string What, HttpResponseMessage Response)>
        {
            ("split", await mesh.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", $$"""{"backends":{{backends}},"reason":"same"}""")),
            ("route", await mesh.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog", route.GetRawText())),
            ("policies", await mesh.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/policies", $$"""{"policies":{{route.GetProperty("policies").GetRawText()}}}""")),
            ("config", await mesh.Api.Http.PutAsync("/api/config", new StringContent(await mesh.Api.Http.GetStringAsync("/api/config")))),
            ("rollback", await mesh.Api.SendAsync(HttpMethod.Post, "/api/rollback", $$"""{"revision":{{head.Revision}}}""")),
        };

        foreach (var (what, response) in writes)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: {(int)response.StatusCode} {body}");
                var json = JsonDocument.Parse(body).RootElement;
                Assert.True(json.GetProperty("unchanged").GetBoolean(), $"{what}: {body}");
                Assert.Equal(head.Revision, json.GetProperty("revision").GetInt64());
            }
        }

        Assert.Equal(head, await mesh.Api.RevisionAsync());
    }
}

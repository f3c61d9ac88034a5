using System.Net;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

[Collection(MeshCollection.Name)]
public sealed class HistoryApiTests(MeshFixture mesh)
{
    private static string Split(int v1, int v2, string reason) =>
        $$"""{"backends":[{"service":"catalog","subset":"v1","weight":{{v1}}},{"service":"catalog","subset":"v2","weight":{{v2}}}],"reason":"{{reason}}"}""";

    [Fact]
    public async Task Rollback_AfterSplitChange_RestoresHashAndEveryGatewayAppliesIt()
    {
        var start = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split(50, 50, "baseline"));
        var baseline = start.GetProperty("revision").GetInt64();
        var baselineHash = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync($"/api/revisions/{baseline}")).RootElement.GetProperty("hash").GetString();
        var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", Split(70, 30, "canary v2 at 30%"));
        var revision = changed.GetProperty("revision").GetInt64();

        var history = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/history?limit=1&stream=route-catalog")).RootElement;
        var latest = history.GetProperty("events")[0];
        Assert.Equal(revision, latest.GetProperty("revision").GetInt64());
        Assert.Equal(mesh.AdminUser, latest.GetProperty("actor").GetString());
        Assert.Equal("canary v2 at 30%", latest.GetProperty("reason").GetString());

        var diff = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync($"/api/diff?from={baseline}&to={revision}")).RootElement.GetProperty("changes");
        var v1 = diff.EnumerateArray().Single(c => c.GetProperty("path").GetString() == "routes[catalog].backends[catalog/v1].weight");
        Assert.Equal(("50", "70"), (v1.GetProperty("before").GetString(), v1.GetProperty("after").GetString()));

        var rolledBack = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/rollback", $$"""{"revision":{{baseline}},"reason":"canary failed"}""");

        Assert.Equal(baselineHash, rolledBack.GetProperty("hash").GetString());
        Assert.True(rolledBack.GetProperty("revision").GetInt64() > revision);
        await mesh.WaitAllSyncedAsync(rolledBack.GetProperty("revision").GetInt64());
        var counts = await SplitChangeTests.CountSubsetsAsync(mesh.Gateways[1].ProxyUrl, 200);
        Assert.InRange(counts["v1"], 80, 120);
    }

    [Fact]
    public async Task ConfigYaml_ExportImportExport_Identical()
    {
        var exported = await mesh.Api.Http.GetStringAsync("/api/config");
        using var import = await mesh.Api.Http.PutAsync("/api/config?reason=round%20trip", new StringContent(exported));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(exported, await mesh.Api.Http.GetStringAsync("/api/config"));
    }

    [Fact]
    public async Task ConfigYaml_UnknownField_RefusedWithLineAndNothingApplied()
    {
        var before = await mesh.Api.RevisionAsync();
        var yaml = (await mesh.Api.Http.GetStringAsync("/api/config")).Replace("  order: 0\n", "  order: 0\n  priority: high\n");

        using var import = await mesh.Api.Http.PutAsync("/api/config", new StringContent(yaml));

        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        var body = await import.Content.ReadAsStringAsync();
        Assert.Contains("unknown field 'priority'", body);
        Assert.Matches("line \\d+", body);
        Assert.Equal(before, await mesh.Api.RevisionAsync());
    }

    [Fact]
    public async Task Roles_ViewerReadsOnly_OperatorRoutesButNoTokens()
    {
        var viewer = await Users.CreateAsync(mesh, "viewer");
        var operatorUser = await Users.CreateAsync(mesh, "operator");

        Assert.Equal(HttpStatusCode.OK, (await viewer.Api.Http.GetAsync("/api/routes/catalog")).StatusCode);
        using var viewerWrite = await viewer.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", Split(50, 50, "viewer"));
        Assert.Equal(HttpStatusCode.Forbidden, viewerWrite.StatusCode);
        using var operatorWrite = await operatorUser.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", Split(50, 50, "operator"));
        Assert.Equal(HttpStatusCode.OK, operatorWrite.StatusCode);
        using var operatorMint = await operatorUser.Api.SendAsync(HttpMethod.Post, "/api/gateway-tokens", """{"node":"n7"}""");
        Assert.Equal(HttpStatusCode.Forbidden, operatorMint.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_413AndPortalKeepsServing()
    {
        var huge = "{\"backends\":[],\"reason\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";
        // As curl does for large bodies: otherwise the portal's early 413 races the client still writing.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/routes/catalog/split")
        {
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = true },
        };
        using var response = await mesh.Api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await mesh.Api.RevisionAsync()).Revision > 0);
    }

    [Fact]
    public async Task OpenApi_DescribesTheSplitEndpoint()
    {
        var document = await mesh.Api.Http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/routes/{id}/split", document);
        Assert.Contains("/api/rollback", document);
    }
}

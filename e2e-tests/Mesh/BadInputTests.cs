using System.Net;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

[Collection(MeshCollection.Name)]
public sealed class BadInputTests(MeshFixture mesh)
{
    [Theory]
    [InlineData("""{"backends":[{"service":"catalog","subset":"v9","weight":100}]}""", "backends[0].subset", "unknown subset 'v9'")]
    [InlineData("""{"backends":[{"service":"catalog","subset":"v1","weight":0},{"service":"catalog","subset":"v2","weight":0}]}""", "backends", "at least one weight")]
    [InlineData("""{"backends":[{"service":"catalog","subset":"v1","weight":-10},{"service":"catalog","subset":"v2","weight":110}]}""", "backends[0].weight", "must be ≥ 0, got -10")]
    [InlineData("""{"backends":[{"service":"catalog","subset":"v1","weight":""", "backends[0].weight", "malformed JSON")]
    [InlineData("""{"backends":[{"service":"nosuch","subset":"v1","weight":100}]}""", "backends[0].service", "unknown service 'nosuch'")]
    public async Task PutSplit_BadBody_ProblemNamesFieldAndRevisionDoesNotMove(string body, string field, string message)
    {
        var before = await mesh.Api.RevisionAsync();

        using var response = await mesh.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {errors}");
        Assert.Contains(message, messages[0].GetString());
        Assert.Equal(before, await mesh.Api.RevisionAsync());
    }

    [Fact]
    public async Task PutSplit_StaleExpectedVersion_ConflictNamesWhoChangedIt()
    {
        var route = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/routes/catalog")).RootElement;
        var version = route.GetProperty("version").GetInt64();
        // 55/45: a split identical to the head would append nothing, and so leave no one to conflict with.
        var body = $$"""{"backends":[{"service":"catalog","subset":"v1","weight":55},{"service":"catalog","subset":"v2","weight":45}],"expectedVersion":{{version}}}""";
        await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", body);
        var head = await mesh.Api.RevisionAsync();

        using var stale = await mesh.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", body);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(mesh.AdminUser, problem.GetProperty("changedBy").GetString());
        Assert.Equal(head.Revision, problem.GetProperty("revision").GetInt64());
        Assert.Equal(head, await mesh.Api.RevisionAsync());
        await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}]}""");
    }

    [Theory]
    [InlineData("PUT", "/api/routes/catalog/split", """{"backends":[{"service":"catalog","subset":"v1","weight":100}],"reason":"nul\u0000here"}""", "reason")]
    [InlineData("PUT", "/api/routes/catalog/split", """{"backends":[{"service":"catalog","subset":"v1","weight":100,"weight":5}]}""", "backends[0].weight")]
    [InlineData("PUT", "/api/routes/catalog/split", """{"backends":[{"service":"catalog","subset":"v1","weight":"100"}]}""", "backends[0].weight")]
    [InlineData("POST", "/api/rollback", """{"revision":1,"reason":"\u0007"}""", "reason")]
    [InlineData("POST", "/api/services", """{"name":"nul","owner":"te\u0000am","subsets":[]}""", "owner")]
    [InlineData("POST", "/api/services/catalog/instances", """{"subset":"v1","id":"x\u0000","address":"http://127.0.0.1:1"}""", "id")]
    [InlineData("POST", "/api/services/catalog/instances", """{"subset":"v1","id":"x","address":"http://127.0.0.1:1","node":"n\u0000"}""", "node")]
    [InlineData("PUT", "/api/routes/catalog?reason=a%00b", """{"id":"catalog","match":{"hosts":["catalog"]},"backends":[{"service":"catalog","subset":"v1","weight":1}]}""", "reason")]
    [InlineData("POST", "/api/routes", """{"id":"nul","match":{"hosts":["nul"],"headers":[{"name":"x","value":"\u0000"}]},"backends":[{"service":"catalog","subset":"v1","weight":1}]}""", "match.headers[0].value")]
    [InlineData("POST", "/api/gateway-tokens", """{"node":"n\u0000"}""", "node")]
    [InlineData("POST", "/api/users", """{"name":"a\u0000","password":"long enough password","role":"viewer"}""", "name")]
    [InlineData("DELETE", "/api/routes/catalog?reason=%00", "", "reason")]
    public async Task Write_ControlCharacterDuplicateOrQuotedNumber_400NamesFieldNothingApplied(string method, string path, string body, string field)
    {
        var before = await mesh.Api.RevisionAsync();

        using var response = await mesh.Api.SendAsync(new HttpMethod(method), path, body);

        await AssertProblemAsync(response, field);
        Assert.Equal(before, await mesh.Api.RevisionAsync());
    }

    [Theory]
    [InlineData("""{"backends":[],"backends":[]}""", "backends", "the field 'backends' appears twice")]
    [InlineData("""{"backends":[{"service":"catalog","subset":"v1","weight":"100"}]}""", "backends[0].weight", "expected a whole number")]
    [InlineData("""{"backends":[{"service":"catalog","subset":"v1\u0000","weight":100}]}""", "backends[0].subset", "U+0000")]
    public async Task PutSplit_StrictJson_MessageSaysWhatIsWrong(string body, string field, string message)
    {
        using var response = await mesh.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split", body);

        Assert.Contains(message, await AssertProblemAsync(response, field), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/history?actor=%00", "actor")]
    [InlineData("/api/history?stream=a%01b", "stream")]
    [InlineData("/api/routes/a%01b", "path")]
    [InlineData("/api/users/a%1Bb/api-keys", "path")]
    public async Task Read_ControlCharacterInUrl_400NamesField(string path, string field)
    {
        using var response = await mesh.Api.Http.SendAsync(new HttpRequestMessage(path.Contains("api-keys", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path));

        await AssertProblemAsync(response, field);
    }

    [Fact]
    public async Task Get_NulInUrlPath_KestrelRefuses400()
    {
        using var response = await mesh.Api.Http.GetAsync("/api/routes/a%00b");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PutConfig_ListNested20000Deep_400NamesLineAndPortalLives()
    {
        var yaml = "services: []\nroutes: " + new string('[', 20_000) + new string(']', 20_000) + "\n";

        var message = await PutYamlRefusedAsync(yaml, "yaml");

        Assert.Equal("line 2, column 40: nested more than 32 levels deep", message);
        Assert.False(mesh.Portal.HasExited);
        await mesh.Api.RevisionAsync();
    }

    [Fact]
    public async Task PutConfig_AliasBomb_400Quickly()
    {
        var yaml = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var message = await PutYamlRefusedAsync(yaml.ToString(), "yaml");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal("line 1, column 5: anchors (&a0) are not supported; write the value out", message);
    }

    [Theory]
    [InlineData("services: []\n? [a]\n: 1\n", "yaml", "line 2, column 3: a mapping key must be a plain value")]
    [InlineData("services: []\nroutes: []\n---\nroutes: []\n", "yaml", "line 3, column 1: only one YAML document is allowed")]
    [InlineData("services: []\nroutes: []\nroutes: []\n", "yaml", "line 3, column 1: the key 'routes' appears twice")]
    [InlineData("routes: []\nservices:\n- name: \"cat\\0\"\n", "yaml", "line 3, column 9: the value contains the control character U+0000")]
    [InlineData("routes:\n- id: catalog\n  order: \"5\"\n", "routes[0].order", "line 3: expected a whole number")]
    public async Task PutConfig_StrictYaml_400NamesLine(string yaml, string field, string message) =>
        Assert.StartsWith(message, await PutYamlRefusedAsync(yaml, field));

    [Fact]
    public async Task PutConfig_NulInReason_400NamesReason()
    {
        var before = await mesh.Api.RevisionAsync();
        var yaml = await mesh.Api.Http.GetStringAsync("/api/config");

        using var response = await mesh.Api.Http.PutAsync("/api/config?reason=x%00y", new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"));

        await AssertProblemAsync(response, "reason");
        Assert.Equal(before, await mesh.Api.RevisionAsync());
    }

    private async Task<string> PutYamlRefusedAsync(string yaml, string field)
    {
        var before = await mesh.Api.RevisionAsync();

        using var response = await mesh.Api.Http.PutAsync("/api/config", new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"));

        var message = await AssertProblemAsync(response, field);
        Assert.Equal(before, await mesh.Api.RevisionAsync());
        return message;
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {errors}");
        return messages[0].GetString()!;
    }

    [Fact]
    public async Task Api_WithoutCredentials_Is401()
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync($"{mesh.PortalUrl}/api/revision");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

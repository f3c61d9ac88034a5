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

    [Fact]
    public async Task Api_WithoutCredentials_Is401()
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync($"{mesh.PortalUrl}/api/revision");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

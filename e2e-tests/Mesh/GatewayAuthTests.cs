using System.Net;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

[Collection(MeshCollection.Name)]
public sealed class GatewayAuthTests(MeshFixture mesh)
{
    [Fact]
    public async Task Gateway_WrongToken_RefusedGetsNoConfigAndPortalLogsWhy()
    {
        var intruder = await mesh.StartGatewayAsync("n9", "mgt_not-a-real-token");

        await Poll.UntilAsync(() => Task.FromResult(mesh.Portal.Output.Contains("refused: unknown token")),
            TimeSpan.FromSeconds(20), () => mesh.Portal.Output);

        using var http = new HttpClient();
        using var ready = await http.GetAsync($"{intruder.AdminUrl}/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{intruder.ProxyUrl}/");
        request.Headers.Host = "catalog";
        using var proxied = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, proxied.StatusCode);
        Assert.DoesNotContain(await mesh.Api.GatewaysAsync(), g => g.Node == "n9");
        await intruder.Process.DisposeAsync();
    }

    [Fact]
    public async Task Gateway_RevokedToken_Refused()
    {
        var minted = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", """{"node":"n8"}""");
        using var revoke = await mesh.Api.Http.DeleteAsync($"/api/gateway-tokens/{minted.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var gateway = await mesh.StartGatewayAsync("n8", minted.GetProperty("token").GetString()!);

        await Poll.UntilAsync(() => Task.FromResult(mesh.Portal.Output.Contains("token for node 'n8' was revoked")),
            TimeSpan.FromSeconds(20), () => mesh.Portal.Output);
        Assert.DoesNotContain(await mesh.Api.GatewaysAsync(), g => g.Node == "n8");
        await gateway.Process.DisposeAsync();
    }
}

using System.Diagnostics;
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

    [Fact]
    public async Task RevokeToken_LiveConnection_ClosedWithinOneSecondAndTokenRefusedAfter()
    {
        var (id, token) = await MintAsync("f1");
        var head = await mesh.Api.RevisionAsync();
        await using var gateway = await FleetHubClient.ConnectAsync(mesh.PortalUrl, token);
        await gateway.HelloAsync("f1", "gw-f1", head.Revision, head.Hash);
        Assert.Equal("SYNCED", (await mesh.Api.GatewaysAsync()).Single(g => g.Node == "f1").State);

        var clock = Stopwatch.StartNew();
        using var revoke = await mesh.Api.Http.DeleteAsync($"/api/gateway-tokens/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await gateway.Closed.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        Assert.Equal("DISCONNECTED", (await mesh.Api.GatewaysAsync()).Single(g => g.Node == "f1").State);
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => FleetHubClient.ConnectAsync(mesh.PortalUrl, token));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task RevokeToken_ConnectionOnOtherReplica_ClosedWithinOneSecond()
    {
        var (replicaUrl, replica) = await mesh.StartPortalReplicaAsync();
        try
        {
            var (id, token) = await MintAsync("f2");
            await using var gateway = await FleetHubClient.ConnectAsync(replicaUrl, token);
            await gateway.HelloAsync("f2", "gw-f2");

            var clock = Stopwatch.StartNew();
            using var revoke = await mesh.Api.Http.DeleteAsync($"/api/gateway-tokens/{id}");
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
            await gateway.Closed.WaitAsync(TimeSpan.FromSeconds(2));
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            await Poll.UntilAsync(() => Task.FromResult(replica.Output.Contains("was revoked; closed its 1 connection(s)")),
                TimeSpan.FromSeconds(5), () => replica.Output);
        }
        finally
        {
            await replica.DisposeAsync();
        }
    }

    private async Task<(string Id, string Token)> MintAsync(string node)
    {
        var minted = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", $$"""{"node":"{{node}}"}""");
        return (minted.GetProperty("id").GetString()!, minted.GetProperty("token").GetString()!);
    }
}

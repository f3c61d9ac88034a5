using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.E2ETests.Fleet;

/// <summary>Nodes that join by themselves: a gateway with only a cluster join token enrolls, and the join token opens nothing else.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(MeshCollection.Name)]
public sealed class JoinTests(MeshFixture mesh)
{
    [Theory]
    [InlineData("j1")]
    [InlineData("ip-10-0-1-2.ec2.internal")]
    public async Task Gateway_OnlyJoinToken_EnrollsGetsConfigAndServesRoute(string node)
    {
        var (joinId, joinToken) = await MintJoinTokenAsync("""{"maxUses":3}""");
        var gateway = await StartJoiningGatewayAsync(node, joinToken);
        try
        {
            await WaitSyncedAsync(node, gateway);
            Assert.Equal(HttpStatusCode.OK, await GetCatalogAsync(gateway));

            var stored = Path.Combine(gateway.StateDirectory, "node-token");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stored));
            var nodeToken = File.ReadAllText(stored);
            Assert.DoesNotContain(joinToken, gateway.Process.Output + mesh.Portal.Output);
            Assert.DoesNotContain(nodeToken, gateway.Process.Output + mesh.Portal.Output);
            var tokens = await mesh.Api.Http.GetStringAsync("/api/gateway-tokens");
            Assert.Contains($"join-token:{joinId}", tokens);
            var history = await mesh.Api.Http.GetStringAsync($"/api/history?stream=gateway-token-{node}");
            Assert.Contains($"node {node} enrolled with join token {joinId}", history);
        }
        finally
        {
            await gateway.Process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Gateway_RestartedAfterEnrolling_UsesItsStoredTokenNotTheJoinToken()
    {
        var (joinId, joinToken) = await MintJoinTokenAsync("""{"maxUses":1}""");
        var gateway = await StartJoiningGatewayAsync("j2", joinToken);
        try
        {
            var first = await WaitSyncedAsync("j2", gateway);
            gateway = await mesh.RestartGatewayAsync(gateway);

            await WaitSyncedAsync("j2", gateway, notGatewayId: first.GatewayId);
            Assert.DoesNotContain("Enrolled node", gateway.Process.Output);
            var join = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/gateway-tokens/join")).RootElement
                .EnumerateArray().Single(t => t.GetProperty("id").GetString() == joinId);
            Assert.Equal(1, join.GetProperty("uses").GetInt32());
        }
        finally
        {
            await gateway.Process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Gateway_TokenFile_ConnectsWithTheTokenInTheFile()
    {
        var secret = Path.Combine(Directory.CreateTempSubdirectory("meshportal-token-").FullName, "token");
        await File.WriteAllTextAsync(secret, $"  {await mesh.MintTokenAsync("j9")}\n");
        var gateway = await mesh.StartGatewayAsync("j9", "", env: new Dictionary<string, string> { ["Gateway__TokenFile"] = secret });
        try
        {
            await WaitSyncedAsync("j9", gateway);
            Assert.False(File.Exists(Path.Combine(gateway.StateDirectory, "node-token")));
        }
        finally
        {
            await gateway.Process.DisposeAsync();
        }
    }

    [Fact]
    public async Task FleetHub_JoinToken_Unauthorized()
    {
        var (_, joinToken) = await MintJoinTokenAsync("{}");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => FleetHubClient.ConnectAsync(mesh.PortalUrl, joinToken));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Enroll_RevokedJoinToken_ForbiddenSayingRevoked()
    {
        var (joinId, joinToken) = await MintJoinTokenAsync("{}");
        using var revoke = await mesh.Api.Http.DeleteAsync($"/api/gateway-tokens/{joinId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var (status, body) = await EnrollAsync(joinToken, "j4");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains($"join token {joinId} was revoked", body);
        Assert.Contains($"join token {joinId} revoked", await mesh.Api.Http.GetStringAsync($"/api/history?stream=join-token-{joinId}"));
    }

    [Fact]
    public async Task Enroll_NotAJoinToken_Unauthorized()
    {
        var nodeToken = await mesh.MintTokenAsync("j5");

        Assert.Equal(HttpStatusCode.Unauthorized, (await EnrollAsync(nodeToken, "j5")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await EnrollAsync(mesh.ApiKey, "j5")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await EnrollAsync(null, "j5")).Status);
    }

    [Fact]
    public async Task Enroll_UsedUpOrBadNode_RefusedWithoutSpendingAUse()
    {
        var (_, joinToken) = await MintJoinTokenAsync("""{"maxUses":1}""");

        var (badStatus, badBody) = await EnrollAsync(joinToken, "Not_A.Node");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("node", badBody);
        Assert.Equal(HttpStatusCode.Created, (await EnrollAsync(joinToken, "j6")).Status);
        var (usedStatus, usedBody) = await EnrollAsync(joinToken, "j7");
        Assert.Equal(HttpStatusCode.Forbidden, usedStatus);
        Assert.Contains("used 1 of 1 times", usedBody);
    }

    [Fact]
    public async Task Enroll_NodeAlreadyEnrolled_NewTokenAndTheOldOneRevoked()
    {
        var (_, joinToken) = await MintJoinTokenAsync("{}");
        var first = JsonSerializer.Deserialize<EnrollResponse>((await EnrollAsync(joinToken, "j8")).Body, MeshJson.Options)!;

        var second = JsonSerializer.Deserialize<EnrollResponse>((await EnrollAsync(joinToken, "j8")).Body, MeshJson.Options)!;

        Assert.Equal([first.Id], second.Replaced);
        var old = await Assert.ThrowsAsync<HttpRequestException>(() => FleetHubClient.ConnectAsync(mesh.PortalUrl, first.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await using var current = await FleetHubClient.ConnectAsync(mesh.PortalUrl, second.Token);
        await current.HelloAsync("j8", "gw-j8");
    }

    private async Task<(string Id, string Token)> MintJoinTokenAsync(string body)
    {
        var minted = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens/join", body);
        return (minted.GetProperty("id").GetString()!, minted.GetProperty("token").GetString()!);
    }

    private async Task<(HttpStatusCode Status, string Body)> EnrollAsync(string? token, string node)
    {
        using var http = new HttpClient { BaseAddress = new Uri(mesh.PortalUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, FleetProtocol.EnrollPath)
        {
            Content = JsonContent.Create(new EnrollRequest { Node = node }, options: MeshJson.Options),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A gateway whose only credential is the join token, in a file as a mounted Secret (with its trailing newline).</summary>
    private async Task<GatewayNode> StartJoiningGatewayAsync(string node, string joinToken)
    {
        var secret = Path.Combine(Directory.CreateTempSubdirectory("meshportal-join-").FullName, "join-token");
        await File.WriteAllTextAsync(secret, joinToken + "\n");
        return await mesh.StartGatewayAsync(node, "", env: new Dictionary<string, string> { ["Gateway__JoinTokenFile"] = secret });
    }

    /// <summary>The node's gateway SYNCED at the head (one other than <paramref name="notGatewayId"/>, after a restart).</summary>
    private async Task<GatewayView> WaitSyncedAsync(string node, GatewayNode gateway, string? notGatewayId = null)
    {
        IReadOnlyList<GatewayView> seen = [];
        GatewayView? synced = null;
        await Poll.UntilAsync(async () =>
        {
            var head = (await mesh.Api.RevisionAsync()).Revision;
            seen = await mesh.Api.GatewaysAsync();
            synced = seen.FirstOrDefault(g => g.Node == node && g.GatewayId != notGatewayId && g.State == "SYNCED" && g.AppliedRevision >= head);
            return synced is not null;
        }, TimeSpan.FromSeconds(30), () => $"{string.Join("; ", seen)}\n{gateway.Process.Output}");
        return synced!;
    }

    private static async Task<HttpStatusCode> GetCatalogAsync(GatewayNode gateway)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway.ProxyUrl}/") { Headers = { Host = "catalog" } };
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

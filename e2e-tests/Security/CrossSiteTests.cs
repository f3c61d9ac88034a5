using System.Net;
using System.Net.WebSockets;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;

namespace MeshPortal.E2ETests.Security;

/// <summary>
/// The login cookie cannot be used by another site: a page on another port of the same host is
/// "same-site", so the browser sends even a SameSite=Strict cookie with its requests.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class CrossSiteTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task FormPost_FromPageOnAnotherPort_RefusedAndNoTokenMinted()
    {
        var page = await _browser.SignedInPageAsync(mesh);
        var before = await TokenCountAsync();
        var attacker = $"http://127.0.0.1:{Ports.Free()}";
        await page.RouteAsync($"{attacker}/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $$"""
                <form id="f" method="post" action="{{mesh.PortalUrl}}/api/gateway-tokens" enctype="text/plain">
                  <input name='{"node":"evil","x":"' value='"}'>
                </form>
                <script>document.getElementById('f').submit()</script>
                """,
        }));

        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync($"{attacker}/"), r => r.Url.EndsWith("/api/gateway-tokens", StringComparison.Ordinal));

        Assert.Equal((int)HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("cross-site request refused", await answer.TextAsync());
        Assert.Equal(before, await TokenCountAsync());
    }

    [Fact]
    public async Task CookieWrite_PlainTextFromOwnOrigin_UnsupportedMediaTypeAndNothingMinted()
    {
        var page = await _browser.SignedInPageAsync(mesh);
        var before = await TokenCountAsync();

        var answer = await page.APIRequest.PostAsync($"{mesh.PortalUrl}/api/gateway-tokens", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = mesh.PortalUrl, ["Content-Type"] = "text/plain" },
            DataString = """{"node":"plain"}""",
        });

        Assert.Equal((int)HttpStatusCode.UnsupportedMediaType, answer.Status);
        Assert.Contains("application/json", await answer.TextAsync());
        Assert.Equal(before, await TokenCountAsync());
    }

    [Fact]
    public async Task CookieWrite_JsonWithForeignOrigin_Forbidden()
    {
        var page = await _browser.SignedInPageAsync(mesh);

        var answer = await page.APIRequest.PostAsync($"{mesh.PortalUrl}/api/gateway-tokens", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = "http://127.0.0.1:1", ["Content-Type"] = "application/json" },
            DataString = """{"node":"foreign"}""",
        });

        Assert.Equal((int)HttpStatusCode.Forbidden, answer.Status);
    }

    [Fact]
    public async Task CookieWrite_JsonFromOwnOrigin_Accepted()
    {
        var page = await _browser.SignedInPageAsync(mesh);

        var answer = await page.APIRequest.PostAsync($"{mesh.PortalUrl}/api/gateway-tokens", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = mesh.PortalUrl, ["Content-Type"] = "application/json" },
            DataString = """{"node":"own-origin"}""",
        });

        Assert.Equal((int)HttpStatusCode.Created, answer.Status);
    }

    [Fact]
    public async Task BlazorWebSocket_ForeignOrigin_RefusedOwnOriginAccepted()
    {
        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", "http://127.0.0.1:1");
        var refused = await Assert.ThrowsAnyAsync<WebSocketException>(() =>
            foreign.ConnectAsync(new Uri($"{mesh.PortalUrl.Replace("http", "ws")}/_blazor"), CancellationToken.None));
        Assert.Contains("403", refused.Message);

        using var http = new HttpClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, $"{mesh.PortalUrl}/_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", "http://127.0.0.1:1");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(negotiate)).StatusCode);
        using var own = new HttpRequestMessage(HttpMethod.Post, $"{mesh.PortalUrl}/_blazor/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", mesh.PortalUrl);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task ApiKey_ScriptWriteWithoutOrigin_StillWorks()
    {
        var minted = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", """{"node":"script"}""");

        Assert.StartsWith("mgt_", minted.GetProperty("token").GetString());
    }

    private async Task<int> TokenCountAsync() =>
        (await mesh.Api.SendOkAsync(HttpMethod.Get, "/api/gateway-tokens", "")).GetArrayLength();
}

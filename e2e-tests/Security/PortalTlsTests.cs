using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;

namespace MeshPortal.E2ETests.Security;

/// <summary>
/// The portal over HTTPS with a certificate from a CA of the test's own: gateways that trust that CA
/// connect, gateways that trust another (or only the system's roots) never do and say why, the API
/// answers only over TLS, Chromium signs in, and a certificate replaced on disk serves new connections.
/// </summary>
public sealed class PortalTlsTests(TlsPortal portal) : IClassFixture<TlsPortal>
{
    [Fact]
    public async Task Gateway_GivenThePortalCa_EnrollsOverHttpsAndIsSynced()
    {
        var join = await portal.PostAsync("/api/gateway-tokens/join", "{}");
        var joinFile = Path.Combine(Directory.CreateTempSubdirectory("meshportal-tls-join-").FullName, "join-token");
        await File.WriteAllTextAsync(joinFile, join.GetProperty("token").GetString() + "\n");

        var gateway = await portal.StartGatewayAsync("t1", new Dictionary<string, string>
        {
            ["Gateway__JoinTokenFile"] = joinFile,
            ["Gateway__PortalCaFile"] = portal.CaFile,
        });

        await Poll.UntilAsync(async () => await portal.GatewayStateAsync("t1") == "SYNCED", TimeSpan.FromSeconds(60), portal.Logs);
        Assert.DoesNotContain("Refused the portal's certificate", gateway.Output);
    }

    [Theory]
    [InlineData("t2", true, "does not chain to a CA of Gateway:PortalCaFile")]
    [InlineData("t3", false, "the system does not trust it")]
    public async Task Gateway_NotTrustingThePortalCa_NeverSyncsAndLogsTheCertificateProblem(string node, bool otherCa, string problem)
    {
        var token = (await portal.PostAsync("/api/gateway-tokens", $$"""{"node":"{{node}}"}""")).GetProperty("token").GetString()!;
        var env = new Dictionary<string, string> { ["Gateway__Token"] = token };
        if (otherCa)
        {
            env["Gateway__PortalCaFile"] = portal.OtherCaFile;
        }

        var gateway = await portal.StartGatewayAsync(node, env);

        // Refused on three attempts in a row: it keeps trying, and never gets through.
        await Poll.UntilAsync(() => Task.FromResult(Refusals(gateway.Output, problem) >= 3), TimeSpan.FromSeconds(60), () => gateway.Output);
        Assert.Null(await portal.GatewayStateAsync(node));
        Assert.Contains("subject 'CN=127.0.0.1', issuer 'CN=MeshPortal e2e portal CA'", gateway.Output);
        Assert.DoesNotContain(token, gateway.Output);
        Assert.False(gateway.HasExited, gateway.Output);
    }

    private static int Refusals(string output, string problem) =>
        output.Split('\n').Count(l => l.Contains("Refused the portal's certificate", StringComparison.Ordinal) && l.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public async Task Api_OverHttps_AnswersAndPlainHttpGetsNothing()
    {
        using var revision = await portal.Api.GetAsync("/api/revision");
        Assert.Equal(System.Net.HttpStatusCode.OK, revision.StatusCode);
        Assert.Contains("\"revision\"", await revision.Content.ReadAsStringAsync());

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        plain.DefaultRequestHeaders.Authorization = portal.Api.DefaultRequestHeaders.Authorization;
        var plainUrl = new UriBuilder(portal.Url) { Scheme = "http" }.Uri;
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new Uri(plainUrl, "/api/revision")));

        // And a client that trusts only the system's roots refuses the portal's certificate.
        using var system = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => system.GetAsync($"{portal.Url}/healthz"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task Browser_OverHttps_SignsIn()
    {
        var browser = new BrowserFixture();
        await browser.InitializeAsync();
        try
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"{portal.Url}/login");
            await page.GetByLabel("User name").FillAsync(portal.AdminUser);
            await page.GetByLabel("Password").FillAsync(portal.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync($"{portal.Url}/");

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            var cookies = await context.CookiesAsync();
            Assert.NotEmpty(cookies);
            Assert.All(cookies, c => Assert.True(c.Secure, $"cookie {c.Name} is not Secure"));
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task CertificateFile_ReplacedOnDisk_NewConnectionsSeeTheNewCertificate()
    {
        var before = await PresentedThumbprintAsync();
        Assert.Equal(portal.Thumbprint, before);

        var renewed = await portal.WriteServerCertificateAsync();

        await Poll.UntilAsync(async () => await PresentedThumbprintAsync() == renewed, TimeSpan.FromSeconds(30), portal.Logs, intervalMs: 200);
        // The console logger writes behind the handshake: the line follows shortly.
        await Poll.UntilAsync(() => Task.FromResult(portal.Portal.Output.Contains("HTTPS certificate renewed", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), () => portal.Portal.Output);
    }

    /// <summary>The thumbprint of the certificate the portal shows a new connection.</summary>
    private async Task<string> PresentedThumbprintAsync()
    {
        var seen = "";
        using var client = portal.TrustingClient(c => seen = c.Thumbprint);
        using var response = await client.GetAsync("/healthz");
        response.EnsureSuccessStatusCode();
        return seen;
    }
}

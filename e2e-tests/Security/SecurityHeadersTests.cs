using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Security;

[Collection(MeshCollection.Name)]
public sealed class SecurityHeadersTests(MeshFixture mesh) : IAsyncLifetime
{
    private static readonly string[] Pages = ["/", "/services", "/services/catalog", "/routes", "/routes/catalog", "/topology", "/gateways", "/history", "/admin"];

    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Theory]
    [InlineData("/login")]
    [InlineData("/readyz")]
    [InlineData("/api/revision")]
    public async Task Response_AnyPath_CarriesSecurityHeaders(string path)
    {
        using var response = await mesh.Api.Http.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task EveryPage_UnderThePolicy_LoadsWithoutViolations()
    {
        var page = await _browser.SignedInPageAsync(mesh);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };

        foreach (var path in Pages)
        {
            await page.GotoAsync($"{mesh.PortalUrl}{path}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await page.WaitForTimeoutAsync(300);
        }

        Assert.Empty(violations);
    }
}

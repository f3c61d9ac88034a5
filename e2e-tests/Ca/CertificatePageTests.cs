using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Ca;

[Collection(CaMeshCollection.Name)]
public sealed class CertificatePageTests(CaMeshFixture fixture) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task GatewaysPage_ShowsEachGatewaysCertificateExpiry()
    {
        var mesh = fixture.Mesh;
        var page = await _browser.SignedInPageAsync(mesh);

        await page.GetByRole(AriaRole.Link, new() { Name = "Gateways" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Certificate" })).ToBeVisibleAsync();
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = node, Exact = true }) });
            // Renewed every 4 s of 6: always more than a fifth of the lifetime left.
            await Expect(row.GetByLabel("certificate valid")).ToContainTextAsync("VALID");
        }

        await BrowserFixture.ScreenshotAsync(page, "gateways-certificates");
    }
}

using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Pages;

/// <summary>Every page opened at 1440×900 in both themes, with what a user reads on it.</summary>
[Collection(MeshCollection.Name)]
public sealed class PortalTourTests(MeshFixture mesh) : IAsyncLifetime
{
    private static readonly string[] Tour = ["", "services", "services/catalog", "routes", "routes/catalog", "gateways", "history", "admin"];

    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task EveryPage_LightAndDark_Screenshots()
    {
        var page = await _browser.SignedInPageAsync(mesh);
        foreach (var theme in new[] { "light", "dark" })
        {
            if (theme == "dark")
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" }).ClickAsync();
            }

            foreach (var path in Tour)
            {
                await page.GotoAsync($"{mesh.PortalUrl}/{path}");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                await page.WaitForTimeoutAsync(600);
                await BrowserFixture.ScreenshotAsync(page, $"tour-{theme}-{(path.Length == 0 ? "overview" : path.Replace('/', '-'))}");
            }
        }

        await page.GotoAsync($"{mesh.PortalUrl}/routes/catalog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete route" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Delete route catalog? This removes:" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "tour-dark-delete-dialog");
    }
}

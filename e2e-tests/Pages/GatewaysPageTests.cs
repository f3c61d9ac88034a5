using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Pages;

[Collection(MeshCollection.Name)]
public sealed class GatewaysPageTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task GatewaysPage_ThreeGatewaysAtHead_ShowsThreeSyncedRows()
    {
        await mesh.WaitAllSyncedAsync();
        var head = (await mesh.Api.RevisionAsync()).Revision;
        var page = await _browser.SignedInPageAsync(mesh);

        await page.GetByRole(AriaRole.Link, new() { Name = "Gateways" }).ClickAsync();

        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "SYNCED" });
        await Expect(rows).ToHaveCountAsync(3);
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = node, Exact = true }) });
            await Expect(row).ToContainTextAsync("SYNCED");
            await Expect(row).ToContainTextAsync($"{head} / {head}");
        }

        await Expect(page.GetByLabel("head revision")).ToContainTextAsync(head.ToString());
        await BrowserFixture.ScreenshotAsync(page, "gateways");
    }

    [Fact]
    public async Task LoginPage_WrongPassword_SaysSoAndStaysOnLogin()
    {
        var page = await _browser.Browser.NewPageAsync();
        await page.GotoAsync($"{mesh.PortalUrl}/gateways");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await page.GetByLabel("User name").FillAsync(mesh.AdminUser);
        await page.GetByLabel("Password").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong user name or password");
        await BrowserFixture.ScreenshotAsync(page, "login");
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Accounts;

[Collection(MeshCollection.Name)]
public sealed class AdminPageTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task AdminPage_CreateUserAndKey_RevokeKeyThenDeleteUser()
    {
        var name = $"pageuser-{Guid.NewGuid():N}"[..16];
        var page = await _browser.SignedInPageAsync(mesh);
        await page.GotoAsync($"{mesh.PortalUrl}/admin");

        await page.GetByLabel("New user name").FillAsync(name);
        await page.GetByLabel("New user password").FillAsync($"pw-{Guid.NewGuid():N}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row, new() { Name = $"user {name}" });
        await Expect(row).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "New API key" }).ClickAsync();
        var key = await page.GetByLabel("new secret").Locator("code").InnerTextAsync();
        using var api = new MeshApi(mesh.PortalUrl, key);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/api/revision")).StatusCode);

        await row.GetByRole(AriaRole.Button, new() { Name = "API keys" }).ClickAsync();
        var keys = page.GetByRole(AriaRole.Table, new() { Name = $"API keys of {name}" });
        await Expect(keys).ToContainTextAsync("active");
        await keys.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(keys).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Http.GetAsync("/api/revision")).StatusCode);

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = $"Delete {name}?" })
            .GetByRole(AriaRole.Button, new() { Name = "Confirm delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(BrowserFixture.Snackbar(page, $"User {name} deleted")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin");
    }

    [Fact]
    public async Task OpenRouteEditor_RoleLoweredToViewer_CircuitEndsWithinSeconds()
    {
        var user = await Users.CreateAsync(mesh, "operator");
        var page = await _browser.SignedInPageAsync(mesh, user.Name, user.Password);
        await page.GotoAsync($"{mesh.PortalUrl}/routes/catalog");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeVisibleAsync();

        var clock = Stopwatch.StartNew();
        await mesh.Api.SendOkAsync(HttpMethod.Put, $"/api/users/{user.Name}/role", """{"role":"viewer"}""");

        await Expect(page).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 5000 });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"the open page kept its operator circuit for {clock.Elapsed}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
    }
}

using System.Net;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Pages;

/// <summary>Issue 9: the pages name what a change takes away, and confirm only after the user agrees.</summary>
[Collection(MeshCollection.Name)]
public sealed class ConfirmRemovalPageTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task HistoryRollback_RemovingLiveRoute_DialogNamesItCancelKeepsConfirmRemoves()
    {
        var registered = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services?reason=doomed%20arrives",
            $$"""{"name":"doomed","subsets":[{"name":"v1","instances":[{"id":"doomed-1","address":"{{mesh.ShopUrls["inventory"]}}","node":"n1"}]}]}""");
        var before = registered.GetProperty("revision").GetInt64() - 1;
        var created = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
            """{"id":"doomed","match":{"hosts":["doomed"]},"backends":[{"service":"doomed","subset":"v1","weight":100}]}""");
        await mesh.WaitAllSyncedAsync(created.GetProperty("revision").GetInt64());
        await Traffic.SendUntilReportedAsync(mesh, "doomed");
        var operatorUser = await Users.CreateAsync(mesh, "operator");
        var page = await _browser.SignedInPageAsync(mesh, operatorUser.Name, operatorUser.Password);
        await page.GotoAsync($"{mesh.PortalUrl}/history");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "doomed arrives" }).ClickAsync();

        var head = await mesh.Api.RevisionAsync();
        await AskRollbackAsync(page, before);
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Rolling back to revision {before} removes:" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "route doomed" })).ToContainTextAsync("requests in the last 60 s");
        await Expect(dialog.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "service doomed" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "rollback-confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(BrowserFixture.Snackbar(page, "Not rolled back")).ToBeVisibleAsync();
        Assert.Equal(head, await mesh.Api.RevisionAsync());

        await AskRollbackAsync(page, before);
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove them and roll back" }).ClickAsync();

        await Expect(BrowserFixture.Snackbar(page, "Rolled back: revision")).ToContainTextAsync($"has the config of revision {before}");
        Assert.Equal(HttpStatusCode.NotFound, (await mesh.Api.Http.GetAsync("/api/routes/doomed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mesh.Api.Http.GetAsync("/api/services/doomed")).StatusCode);
    }

    [Fact]
    public async Task RouteEditorDelete_DialogNamesRoute_ConfirmDeletes()
    {
        await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
            """{"id":"spare","match":{"hosts":["spare"]},"backends":[{"service":"inventory","subset":"v1","weight":100}]}""");
        var operatorUser = await Users.CreateAsync(mesh, "operator");
        var page = await _browser.SignedInPageAsync(mesh, operatorUser.Name, operatorUser.Password);
        await page.GotoAsync($"{mesh.PortalUrl}/routes/spare");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete route" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete route spare? This removes:" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("route spare — no requests in the last 60 s"));
        Assert.Equal(HttpStatusCode.OK, (await mesh.Api.Http.GetAsync("/api/routes/spare")).StatusCode);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete route" }).ClickAsync();

        await page.WaitForURLAsync($"{mesh.PortalUrl}/routes");
        Assert.Equal(HttpStatusCode.NotFound, (await mesh.Api.Http.GetAsync("/api/routes/spare")).StatusCode);
        var latest = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/history?stream=route-spare&limit=1")).RootElement.GetProperty("events")[0];
        Assert.Equal(operatorUser.Name, latest.GetProperty("actor").GetString());
    }

    private static async Task AskRollbackAsync(IPage page, long revision)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Roll back to revision {revision}" }).ClickAsync();
        await page.GetByLabel("Rollback reason").FillAsync("undo doomed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm rollback" }).ClickAsync();
    }
}

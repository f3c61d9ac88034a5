using System.Net;
using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Infrastructure;
using MeshPortal.E2ETests.Mesh;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Pages;

[Collection(MeshCollection.Name)]
public sealed class RouteEditorPageTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task Operator_MovesSplitTo70_GatewaysFollowHistoryDiffsAndRollbackRestores()
    {
        var baseline = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}],"reason":"baseline"}""");
        var baselineRevision = baseline.GetProperty("revision").GetInt64();
        var operatorUser = await Users.CreateAsync(mesh, "operator");
        var page = await _browser.SignedInPageAsync(mesh, operatorUser.Name, operatorUser.Password);

        await page.GotoAsync($"{mesh.PortalUrl}/routes/catalog");
        var v1 = page.GetByLabel("Weight of catalog/v1");
        await v1.FillAsync("70");
        await v1.PressAsync("Tab");
        await Expect(page.GetByLabel("Weight of catalog/v2")).ToHaveValueAsync("30");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "preview of the change" })).ToContainTextAsync("routes[catalog].backends[catalog/v1].weight");
        await page.GetByLabel("Reason").FillAsync("canary: v2 to 30%");
        await BrowserFixture.ScreenshotAsync(page, "route-editor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var saved = BrowserFixture.Snackbar(page, "Saved as revision");
        await Expect(saved).ToContainTextAsync("Saved as revision");
        var revision = long.Parse(Regex.Match(await saved.InnerTextAsync(), "revision (\\d+)").Groups[1].Value);
        await mesh.WaitAllSyncedAsync(revision);
        var savedEvent = System.Text.Json.JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/history?stream=route-catalog&limit=1")).RootElement.GetProperty("events")[0];
        Assert.Equal((operatorUser.Name, "canary: v2 to 30%", "127.0.0.1"),
            (savedEvent.GetProperty("actor").GetString(), savedEvent.GetProperty("reason").GetString(), savedEvent.GetProperty("clientAddress").GetString()));
        var counts = await SplitChangeTests.CountSubsetsAsync(mesh.Gateways[0].ProxyUrl, 400);
        using var http = new HttpClient();
        Assert.True(counts["v1"] is >= 250 and <= 310, $"v1 {counts["v1"]} of 400; gateway runs {await http.GetStringAsync($"{mesh.Gateways[0].AdminUrl}/config")}");

        await page.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "canary: v2 to 30%" });
        await Expect(row).ToContainTextAsync(operatorUser.Name);
        await row.ClickAsync();
        var diff = page.GetByRole(AriaRole.Table, new() { Name = "diff" });
        await Expect(diff.GetByRole(AriaRole.Row).Filter(new() { HasText = "catalog/v1].weight" })).ToHaveTextAsync(new Regex("weight\\s*50\\s*→\\s*70"));
        await BrowserFixture.ScreenshotAsync(page, "history");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Roll back to revision {revision - 1}" }).ClickAsync();
        await page.GetByLabel("Rollback reason").FillAsync("canary failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm rollback" }).ClickAsync();
        await Expect(BrowserFixture.Snackbar(page, "Rolled back: revision")).ToContainTextAsync($"has the config of revision {revision - 1}");

        var route = System.Text.Json.JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/routes/catalog")).RootElement.GetProperty("route");
        Assert.Equal(50, route.GetProperty("backends")[0].GetProperty("weight").GetInt32());
        Assert.True(revision - 1 >= baselineRevision);
    }

    [Fact]
    public async Task Viewer_SeesSplitButNoControls_AndApiRefuses()
    {
        var viewer = await Users.CreateAsync(mesh, "viewer");
        var page = await _browser.SignedInPageAsync(mesh, viewer.Name, viewer.Password);

        await page.GotoAsync($"{mesh.PortalUrl}/routes/catalog");

        await Expect(page.GetByText("You have read access")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img).Filter(new() { HasText = "v1" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Weight of catalog/v1")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        using var refused = await viewer.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":100}]}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}

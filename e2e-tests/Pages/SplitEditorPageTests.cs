using System.Net;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Pages;

/// <summary>The split editor's user paths: typing, dragging, locks, "split evenly", the diff, and someone else saving first.</summary>
[Collection(MeshCollection.Name)]
public sealed class SplitEditorPageTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task SplitEditor_DragLockAndSplitEvenly_KeepsHundredAndPreviewsTheDiff()
    {
        await ResetCatalogAsync();
        var operatorUser = await Users.CreateAsync(mesh, "operator");
        var page = await _browser.SignedInPageAsync(mesh, operatorUser.Name, operatorUser.Password);
        await page.GotoAsync($"{mesh.PortalUrl}/routes/catalog");

        var slider = page.GetByLabel("Slider of catalog/v1");
        var box = (await slider.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.8f, box.Y + box.Height / 2, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await Expect(page.GetByLabel("Weight of catalog/v1")).Not.ToHaveValueAsync("50");

        // The drag's moves reach the server one by one and each is drawn: both weights are read in one
        // evaluation, so they come from the same drawing (read apart, the second may be a later move's).
        var weights = await page.GetByLabel("Weight of catalog/v1").Or(page.GetByLabel("Weight of catalog/v2"))
            .EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        var (dragged, other) = (int.Parse(weights[0]), int.Parse(weights[1]));
        Assert.InRange(dragged, 65, 95);
        Assert.Equal(100, dragged + other);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "preview of the change" })).ToContainTextAsync("routes[catalog].backends[catalog/v1].weight");

        await page.GetByLabel("Subset to add").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "inventory/v1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Split evenly" }).ClickAsync();
        await Expect(page.GetByLabel("Weight of catalog/v1")).ToHaveValueAsync("34");
        await Expect(page.GetByLabel("Weight of catalog/v2")).ToHaveValueAsync("33");
        await Expect(page.GetByLabel("Weight of inventory/v1")).ToHaveValueAsync("33");

        await page.GetByLabel("Lock catalog/v1").CheckAsync();
        await Expect(page.GetByLabel("Weight of catalog/v1")).ToBeDisabledAsync();
        var v2 = page.GetByLabel("Weight of catalog/v2");
        await v2.FillAsync("66");
        await v2.PressAsync("Tab");
        await Expect(page.GetByLabel("Weight of inventory/v1")).ToHaveValueAsync("0");
        await Expect(page.GetByLabel("Weight of catalog/v1")).ToHaveValueAsync("34");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "catalog/v1 34%, catalog/v2 66%, inventory/v1 0%" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "split-editor-locked");
    }

    [Fact]
    public async Task SplitEditor_SomeoneElseSavedFirst_ShowsConflictAndReloadShowsTheirs()
    {
        await ResetCatalogAsync();
        var operatorUser = await Users.CreateAsync(mesh, "operator");
        var page = await _browser.SignedInPageAsync(mesh, operatorUser.Name, operatorUser.Password);
        await page.GotoAsync($"{mesh.PortalUrl}/routes/catalog");
        var v1 = page.GetByLabel("Weight of catalog/v1");
        await v1.FillAsync("60");
        await v1.PressAsync("Tab");
        await Expect(page.GetByLabel("Weight of catalog/v2")).ToHaveValueAsync("40");

        await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":90},{"service":"catalog","subset":"v2","weight":10}],"reason":"someone else"}""");
        await page.GetByLabel("Reason").FillAsync("mine");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var conflict = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "while you were editing" });
        await Expect(conflict).ToContainTextAsync("Changed by");
        await BrowserFixture.ScreenshotAsync(page, "split-editor-conflict");
        await conflict.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
        await Expect(page.GetByLabel("Weight of catalog/v1")).ToHaveValueAsync("90");
        await Expect(conflict).ToHaveCountAsync(0);
        var route = System.Text.Json.JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/routes/catalog")).RootElement.GetProperty("route");
        Assert.Equal(90, route.GetProperty("backends")[0].GetProperty("weight").GetInt32());
    }

    [Fact]
    public async Task SplitEditor_InvalidField_MessageUnderTheFieldAndSaveDisabled()
    {
        await ResetCatalogAsync();
        var operatorUser = await Users.CreateAsync(mesh, "operator");
        var page = await _browser.SignedInPageAsync(mesh, operatorUser.Name, operatorUser.Password);
        await page.GotoAsync($"{mesh.PortalUrl}/routes/catalog");

        var path = page.GetByLabel("Path prefix");
        await path.FillAsync("no-slash");
        await path.PressAsync("Tab");

        await Expect(path).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeDisabledAsync();
        Assert.Equal(HttpStatusCode.OK, (await mesh.Api.Http.GetAsync("/api/routes/catalog")).StatusCode);
    }

    private Task ResetCatalogAsync() => mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
        """{"backends":[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}],"reason":"test baseline"}""");
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Pages;

/// <summary>What Overview, Services, ServiceDetail and History show, and the paged, compressed list API behind them.</summary>
[Collection(MeshCollection.Name)]
public sealed class ListPagesTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task Overview_Signed_ShowsHeadGatewaysServicesAndTransportMode()
    {
        await mesh.WaitAllSyncedAsync();
        var head = (await mesh.Api.RevisionAsync()).Revision;
        var page = await _browser.SignedInPageAsync(mesh);

        await Expect(page.GetByLabel("head revision", new() { Exact = true })).ToHaveTextAsync(head.ToString());
        await Expect(page.GetByLabel("gateways in sync")).ToContainTextAsync("3 / 3");
        var services = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/services")).RootElement.GetArrayLength();
        await Expect(page.GetByLabel("services count")).ToHaveTextAsync(services.ToString());
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "recent changes" }).GetByRole(AriaRole.Row).First).ToContainTextAsync(head.ToString());

        // Every gateway of the mesh takes hops, and strict is the default.
        await Expect(page.GetByLabel("transport mode")).ToHaveTextAsync("strict");
        await Expect(page.GetByLabel("transport explanation")).ToContainTextAsync("mutual TLS only");
        await Expect(page.GetByLabel("transport explanation")).ToContainTextAsync("3 of 3 nodes take mTLS hops");
    }

    [Fact]
    public async Task Services_SearchAndNaturalSort_ShowsMatchingRowsInReadingOrder()
    {
        foreach (var name in new[] { "svc10", "svc2", "svc1" })
        {
            await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services",
                $$"""{"name":"{{name}}","owner":"team-sort","subsets":[{"name":"v1","instances":[{"id":"{{name}}-1","address":"{{mesh.ShopUrls["inventory"]}}","node":"n1"}]}]}""");
        }

        var page = await _browser.SignedInPageAsync(mesh);
        await page.GotoAsync($"{mesh.PortalUrl}/services");
        var table = page.GetByLabel("services", new() { Exact = true });
        await Expect(table).ToContainTextAsync("catalog");
        await page.GetByLabel("Search services").FillAsync("svc");

        var names = table.Locator("tbody tr td:first-child");
        await Expect(names).ToHaveTextAsync(["svc1", "svc2", "svc10"]);
        await Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "svc2" })).ToContainTextAsync("team-sort");
        await BrowserFixture.ScreenshotAsync(page, "services-search");

        await table.GetByRole(AriaRole.Link, new() { Name = "svc10", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("svc10");
        await Expect(page.GetByLabel("owner")).ToContainTextAsync("team-sort");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "instances of v1" })).ToContainTextAsync("svc10-1");
    }

    [Fact]
    public async Task ServiceDetail_Catalog_ShowsSubsetsInstancesAndRoutes()
    {
        var page = await _browser.SignedInPageAsync(mesh);
        await page.GotoAsync($"{mesh.PortalUrl}/services/catalog");

        await Expect(page.GetByLabel("subset v1", new() { Exact = true })).ToContainTextAsync("req/s");
        await Expect(page.GetByLabel("subset v2", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "instances of v2" }).GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "routes that reach catalog" })).ToContainTextAsync("catalog");
        await BrowserFixture.ScreenshotAsync(page, "service-detail");
    }

    [Fact]
    public async Task ServiceDetail_SetAccessOnlyCatalog_SavedAsAnEventAndShown()
    {
        await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services", """{"name":"access-probe","owner":"team-access","subsets":[]}""");
        var page = await _browser.SignedInPageAsync(mesh);
        await page.GotoAsync($"{mesh.PortalUrl}/services/access-probe");
        var panel = page.GetByLabel("access policy");
        await Expect(panel.GetByLabel("callers", new() { Exact = true })).ToHaveTextAsync("everyone");

        await panel.GetByText("Only these services").ClickAsync();
        await panel.GetByLabel("Allowed callers").FillAsync("catalog, Not_A_Name");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save access" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Alert)).ToContainTextAsync("allow[1]");
        Assert.False(JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/services/access-probe")).RootElement.TryGetProperty("access", out _));

        await panel.GetByLabel("Allowed callers").FillAsync("catalog");
        await panel.GetByLabel("Access reason").FillAsync("e2e: only catalog");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save access" }).ClickAsync();

        await Expect(panel.GetByLabel("callers", new() { Exact = true })).ToHaveTextAsync("catalog");
        var stored = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/services/access-probe")).RootElement;
        Assert.Equal(["catalog"], stored.GetProperty("access").GetProperty("allow").EnumerateArray().Select(a => a.GetString()));
        await BrowserFixture.ScreenshotAsync(page, "service-access");
    }

    [Fact]
    public async Task History_CompareMissingRevision_SaysItDoesNotExist()
    {
        var head = (await mesh.Api.RevisionAsync()).Revision;
        var page = await _browser.SignedInPageAsync(mesh);
        await page.GotoAsync($"{mesh.PortalUrl}/history");

        await page.GetByLabel("Compare from revision").FillAsync("1");
        await page.GetByLabel("Compare to revision").FillAsync("999999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();

        await Expect(page.GetByLabel("revision not found")).ToContainTextAsync($"Revision 999999 does not exist (head is {head})");
    }

    [Fact]
    public async Task History_Viewer_SeesDiffButNoRollback()
    {
        var viewer = await Users.CreateAsync(mesh, "viewer");
        var page = await _browser.SignedInPageAsync(mesh, viewer.Name, viewer.Password);
        await page.GotoAsync($"{mesh.PortalUrl}/history");

        // The list follows new events live and is current once it shows this viewer's key. A click can still
        // meet a row being drawn over (other tests change the shared mesh) and be lost, as it was once in CI
        // on a loaded machine: then it clicks again, as its user would.
        var newest = page.GetByLabel("history", new() { Exact = true }).Locator("tbody tr").First;
        await Expect(newest).ToContainTextAsync($"created for {viewer.Name}");
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 2 });
        await Poll.UntilAsync(async () =>
        {
            await newest.ClickAsync();
            try
            {
                await heading.WaitForAsync(new() { Timeout = 3_000 });
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), () => "a click on the newest change never showed its diff");

        await Expect(heading).ToContainTextAsync("Revision");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Roll back" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ListApi_LimitOffsetAndSearch_PagesCompressedAndUnpagedStays()
    {
        var unpaged = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/routes")).RootElement;
        Assert.Equal(JsonValueKind.Array, unpaged.ValueKind);

        var first = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/routes?limit=1")).RootElement;
        Assert.Equal(unpaged.GetArrayLength(), first.GetProperty("total").GetInt32());
        var next = first.GetProperty("next").GetString();
        var second = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync($"/api/routes?limit=1&cursor={next}")).RootElement;
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("route").GetProperty("id").GetString(),
            second.GetProperty("items")[0].GetProperty("route").GetProperty("id").GetString());

        var found = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/api/services?q=CATA")).RootElement;
        Assert.Equal("catalog", Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());

        using var bad = await mesh.Api.Http.GetAsync("/api/services?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("limit", await bad.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/services");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var compressed = await mesh.Api.Http.SendAsync(request);
        Assert.Contains("gzip", compressed.Content.Headers.ContentEncoding);
    }
}

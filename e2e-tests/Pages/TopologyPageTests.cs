using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Pages;

[Collection(MeshCollection.Name)]
public sealed class TopologyPageTests(MeshFixture mesh) : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task Topology_LoadStarts_EdgesWithTrafficWithin5sAndInventoryErrorsTurnItsEdgeRed()
    {
        var page = await _browser.SignedInPageAsync(mesh);
        await page.GotoAsync($"{mesh.PortalUrl}/topology");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Topology" })).ToBeVisibleAsync();

        await using var load = DemoShop.StartLoad(mesh, rps: 20, seconds: 120);
        var edges = page.GetByRole(AriaRole.Table, new() { Name = "edges" });
        foreach (var (from, to) in new[] { ("loadgen", "frontend"), ("frontend", "catalog"), ("catalog", "inventory") })
        {
            var row = edges.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{from}{to}" }).First;
            // Includes starting the load generator's process, which takes seconds on a busy machine.
            await Expect(row).ToContainTextAsync("HEALTHY", new() { Timeout = 10_000 });
        }

        await BrowserFixture.ScreenshotAsync(page, "topology");

        using var http = new HttpClient();
        (await http.PostAsync($"{mesh.ShopUrls["inventory"]}/fault?errorRate=0.5", null)).EnsureSuccessStatusCode();
        try
        {
            var inventory = edges.GetByRole(AriaRole.Row).Filter(new() { HasText = "cataloginventory" });
            await Expect(inventory).ToContainTextAsync("FAILING", new() { Timeout = 10_000 });
            var colour = await page.EvaluateAsync<string>("() => window.meshTopology.cy().getElementById('catalog->inventory/v1').data('colour')");
            Assert.Equal("#d93c3c", colour);
            await BrowserFixture.ScreenshotAsync(page, "topology-failing");
        }
        finally
        {
            (await http.PostAsync($"{mesh.ShopUrls["inventory"]}/fault?errorRate=0", null)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Topology_ReachedByTheNavLinkFromAnotherPage_GraphDrawn()
    {
        // The graph's scripts are requested only by the Topology page's own document; reached by an
        // in-app link (enhanced navigation, no new document) the page must load them itself.
        var page = await _browser.SignedInPageAsync(mesh);
        await page.GotoAsync($"{mesh.PortalUrl}/services");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Services", Exact = true, Level = 1 })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Topology" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Topology" })).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => window.meshTopology?.cy()?.nodes().length > 0", null, new() { Timeout = 15_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.cytoscape === 'function'"));
    }

    [Fact]
    public async Task EveryPage_RendersAndIsScreenshotted()
    {
        var page = await _browser.SignedInPageAsync(mesh);
        var tour = new (string Name, string Path, string Heading)[]
        {
            ("overview", "/", "Overview"), ("services", "/services", "Services"), ("service", "/services/catalog", "catalog"),
            ("routes", "/routes", "Routes"), ("gateways", "/gateways", "Gateways"), ("history-list", "/history", "History"),
            ("admin", "/admin", "Admin"), ("route-catalog", "/routes/catalog", "Route catalog"),
        };
        foreach (var (name, path, heading) in tour)
        {
            await page.GotoAsync($"{mesh.PortalUrl}{path}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, name);
        }
    }
}

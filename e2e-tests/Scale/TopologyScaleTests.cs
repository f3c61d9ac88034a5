using System.Diagnostics;
using System.Globalization;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Scale;

/// <summary>
/// 1,000 services and 3,000 edges of live traffic, measured in Chromium as a user meets them. Prints
/// `name: value unit` lines (run with --logger "console;verbosity=detailed" to see them).
/// </summary>
[Trait("Category", "Scale")]
public sealed class TopologyScaleTests(ScaleMesh mesh, ITestOutputHelper output) : IClassFixture<ScaleMesh>, IAsyncLifetime
{
    // Long tasks and CSP violations are recorded from the first script on, outside the page's own CSP.
    private const string Observers = """
        window.__longTasks = [];
        new PerformanceObserver(list => list.getEntries().forEach(e => window.__longTasks.push([e.startTime, e.duration])))
          .observe({ type: 'longtask', buffered: true });
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
        """;

    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task Topology_1000Services3000Edges_SummaryFastSearchFastPushSmall()
    {
        var api = await TopologyApiMillisecondsAsync();

        // A running portal has drawn this page before: its first render after start pays for the portal's own JIT.
        // The measured page is in a browser context of its own (its own renderer process), so the browser starts cold.
        var warm = await SignInAsync();
        await warm.GotoAsync($"{mesh.PortalUrl}/topology");
        await warm.WaitForFunctionAsync("() => window.meshTopology?.cy()?.nodes().length > 0");
        await warm.Context.CloseAsync();

        var page = await SignInAsync();
        long received = 0;
        page.WebSocket += (_, ws) => ws.FrameReceived += (_, frame) => Interlocked.Add(ref received, frame.Binary?.Length ?? frame.Text?.Length ?? 0);
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Text);

        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"{mesh.PortalUrl}/topology");
        await page.WaitForFunctionAsync("() => window.meshTopology?.cy()?.nodes().length > 0");
        var firstView = clock.ElapsedMilliseconds;
        var viewStart = await page.EvaluateAsync<double>("() => performance.now()");
        var nodesDrawn = await page.EvaluateAsync<int>("() => window.meshTopology.cy().nodes().length");
        await Expect(page.GetByText("1000 services, 3000 edges")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "topology-1000-summary");

        // Steady state: what the open tab receives over ten seconds of live traffic.
        await Task.Delay(3000);
        var before = Interlocked.Read(ref received);
        await Task.Delay(10_000);
        var pushed = (Interlocked.Read(ref received) - before) / 10.0;

        var search = page.GetByLabel("Find a service");
        await search.FillAsync("svc-0500");
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = "svc-0500" })).ToBeVisibleAsync();
        clock.Restart();
        await search.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => window.meshTopology.cy().getElementById('svc-0500').hasClass('focus')",
            null, new() { PollingInterval = 5 });
        var toNeighbourhood = clock.ElapsedMilliseconds;
        var neighbours = await page.EvaluateAsync<int>("() => window.meshTopology.cy().nodes().length");
        await BrowserFixture.ScreenshotAsync(page, "topology-1000-neighbourhood");

        var at = await page.EvaluateAsync<double[]>("""
            () => { const cy = window.meshTopology.cy(); const p = cy.getElementById('svc-0501').renderedPosition();
                    const r = cy.container().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }
            """);
        var panel = page.GetByRole(AriaRole.Complementary, new() { Name = "details" }).GetByRole(AriaRole.Heading, new() { Name = "svc-0501" });
        clock.Restart();
        await page.Mouse.ClickAsync((float)at[0], (float)at[1]);
        await panel.WaitForAsync(new() { Timeout = 5000 });
        var toPanel = clock.ElapsedMilliseconds;

        var longest = await page.EvaluateAsync<double>($"() => Math.max(0, ...window.__longTasks.filter(t => t[0] >= {viewStart.ToString(CultureInfo.InvariantCulture)}).map(t => t[1]))");
        var heap = await page.EvaluateAsync<double>("() => performance.memory.usedJSHeapSize / 1048576");
        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");

        var services = await OpenMillisecondsAsync(page, "/services");
        var routes = await OpenMillisecondsAsync(page, "/routes");
        var layouts = await FcoseMillisecondsAsync(page);

        Report("mesh_services", ScaleMesh.Services, "services");
        Report("mesh_edges", ScaleMesh.Services * ScaleMesh.CallsPerService, "edges");
        Report("topology_api", api, "ms");
        Report("topology_first_view", firstView, "ms");
        Report("topology_summary_nodes", nodesDrawn, "nodes");
        Report("topology_pushed_steady", pushed / 1024, "KB/s");
        Report("topology_search_to_neighbourhood", toNeighbourhood, "ms");
        Report("topology_neighbourhood_nodes", neighbours, "nodes");
        Report("topology_node_panel", toPanel, "ms");
        Report("topology_longest_task", longest, "ms");
        Report("topology_js_heap", heap, "MB");
        Report("services_open", services, "ms");
        Report("routes_open", routes, "ms");
        foreach (var (n, ms) in layouts)
        {
            Report($"fcose_layout_{n}_services_{3 * n}_edges", ms, "ms");
        }

        Assert.Empty(violations);
        Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.True(firstView <= 2000, $"first view {firstView} ms");
        Assert.True(pushed <= 20 * 1024, $"pushed {pushed} B/s");
        Assert.True(toNeighbourhood <= 300, $"search {toNeighbourhood} ms");
        Assert.True(toPanel <= 100, $"panel {toPanel} ms");
        Assert.True(heap <= 150, $"heap {heap} MB");

        // Printed, not asserted: on a shared two-core machine these swing with the other processes'
        // load (API 48–108 ms, longest task 166–276 ms seen), and Services/Routes belong to the list pages' own rework.
        _ = (api, longest, services, routes);
    }

    private void Report(string name, double value, string unit) =>
        output.WriteLine(FormattableString.Invariant($"{name}: {value:0.#} {unit}"));

    /// <summary>The median of ten reads, after one to warm up.</summary>
    private async Task<double> TopologyApiMillisecondsAsync()
    {
        var times = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            var clock = Stopwatch.StartNew();
            (await mesh.Api.Http.GetAsync($"{mesh.PortalUrl}/api/topology")).EnsureSuccessStatusCode();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times.Skip(1).Order().ElementAt(5);
    }

    private async Task<IPage> SignInAsync()
    {
        var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await context.AddInitScriptAsync(Observers);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{mesh.PortalUrl}/login");
        await page.GetByLabel("User name").FillAsync(mesh.AdminUser);
        await page.GetByLabel("Password").FillAsync(mesh.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"{mesh.PortalUrl}/");
        return page;
    }

    private async Task<long> OpenMillisecondsAsync(IPage page, string path)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"{mesh.PortalUrl}{path}");
        await Expect(page.GetByText(ScaleMesh.Name(0), new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return clock.ElapsedMilliseconds;
    }

    /// <summary>
    /// The layout alone, headless, on random graphs of n services each calling three others. Only the Topology page
    /// loads the graph libraries, so they are loaded here, on the page last opened, by the portal's own loader.
    /// </summary>
    private async Task<IReadOnlyList<(int N, double Ms)>> FcoseMillisecondsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Url = $"{mesh.PortalUrl}/js/graph-libraries.js", Type = "module" });
        await page.WaitForFunctionAsync("() => window.cytoscape?.('layout', 'fcose') !== undefined");
        var result = new List<(int, double)>();
        foreach (var n in new[] { 100, 500, 1000 })
        {
            result.Add((n, await page.EvaluateAsync<double>("""
                n => {
                  const els = [];
                  for (let i = 0; i < n; i++) els.push({ data: { id: 's' + i } });
                  for (let i = 0; i < n; i++) for (const k of [1, 7, 31]) els.push({ data: { id: `e${i}-${k}`, source: 's' + i, target: 's' + ((i + k) % n) } });
                  const cy = cytoscape({ headless: true, elements: els });
                  const started = performance.now();
                  cy.layout({ name: 'fcose', quality: 'default', randomize: true, animate: false }).run();
                  const ms = performance.now() - started;
                  cy.destroy();
                  return ms;
                }
                """, n)));
        }

        return result;
    }
}

using Microsoft.Playwright;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (its own browser download cannot work here).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // A Blazor page renders once its circuit is up; on two busy cores that can take longer than
        // Playwright's default 5 s, which would make the page tests fail on load, not on behaviour.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = FindChromium(),
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>A signed-in page at 1440×900 (the size of the screenshots in the README).</summary>
    public Task<IPage> SignedInPageAsync(MeshFixture mesh) => SignedInPageAsync(mesh, mesh.AdminUser, mesh.AdminPassword);

    public async Task<IPage> SignedInPageAsync(MeshFixture mesh, string user, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{mesh.PortalUrl}/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"{mesh.PortalUrl}/");
        return page;
    }

    /// <summary>Saves a 1440×900 screenshot under e2e-tests/screenshots (not committed).</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, $"{name}.png") });

    /// <summary>A MudBlazor snackbar (the pages' result messages) that contains <paramref name="text"/>.</summary>
    public static ILocator Snackbar(IPage page, string text) =>
        page.Locator("#mud-snackbar-container .mud-snackbar").Filter(new() { HasText = text });

    private static string FindChromium()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .SelectMany(dir => new[] { Path.Combine(dir, "chromium"), Path.Combine(dir, "chromium-browser") })
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium); ./mesh test installs it");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

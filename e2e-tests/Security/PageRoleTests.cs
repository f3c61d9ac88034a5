using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshPortal.E2ETests.Security;

/// <summary>
/// Every page of the portal (found in its source, so a new page needs an entry in
/// <see cref="Pages"/>) opened in Chromium by every role: who sees it, who is sent to the login,
/// and that the change controls are only there for roles that may change things.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed partial class PageRoleTests(MeshFixture mesh) : IAsyncLifetime
{
    /// <summary>Page route → (least role that sees it, a write control only operators and up have, or null).</summary>
    private static readonly Dictionary<string, (string Role, string? WriteControl)> Pages = new()
    {
        ["/login"] = (RoleTable.Anonymous, null),
        ["/"] = (RoleTable.Viewer, null),
        ["/services"] = (RoleTable.Viewer, null),
        ["/services/{Name}"] = (RoleTable.Viewer, null),
        ["/routes"] = (RoleTable.Viewer, null),
        ["/routes/{Id}"] = (RoleTable.Viewer, "Save"),
        ["/topology"] = (RoleTable.Viewer, null),
        ["/gateways"] = (RoleTable.Viewer, null),
        ["/history"] = (RoleTable.Viewer, null),
        ["/admin"] = (RoleTable.Admin, "Mint"),
    };

    private readonly BrowserFixture _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public void PageTable_EveryPageInTheSource_Listed()
    {
        var routes = Directory.GetFiles(Path.Combine(Paths.Root, "portal", "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => PageDirective().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .ToHashSet();

        Assert.Equal(Pages.Keys.Order(), routes.Order());
    }

    [Theory]
    [InlineData(RoleTable.Anonymous)]
    [InlineData(RoleTable.Viewer)]
    [InlineData(RoleTable.Operator)]
    [InlineData(RoleTable.Admin)]
    public async Task EveryPage_Role_SeenOnlyByItsRolesWithWriteControlsOnlyForWriters(string role)
    {
        var page = await PageAsAsync(role);
        foreach (var (route, (needed, writeControl)) in Pages.Where(p => p.Key != "/login"))
        {
            var url = mesh.PortalUrl + route.Replace("{Name}", "catalog").Replace("{Id}", "catalog");
            await page.GotoAsync(url);
            if (RoleTable.Rank(role) < RoleTable.Rank(needed))
            {
                await Expect(page).ToHaveURLAsync(new Regex("/login"));
                continue;
            }

            await Expect(page).ToHaveURLAsync(url);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            if (writeControl is not null)
            {
                var control = page.GetByRole(AriaRole.Button, new() { Name = writeControl, Exact = true });
                await Expect(control).ToHaveCountAsync(RoleTable.Rank(role) >= RoleTable.Rank(RoleTable.Operator) ? 1 : 0);
            }
        }
    }

    private async Task<IPage> PageAsAsync(string role)
    {
        if (role == RoleTable.Anonymous)
        {
            return await (await _browser.Browser.NewContextAsync()).NewPageAsync();
        }

        if (role == RoleTable.Admin)
        {
            return await _browser.SignedInPageAsync(mesh);
        }

        var user = await Users.CreateAsync(mesh, role);
        return await _browser.SignedInPageAsync(mesh, user.Name, user.Password);
    }

    [GeneratedRegex("^@page \"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex PageDirective();
}

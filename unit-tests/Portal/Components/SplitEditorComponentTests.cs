using Bunit;
using MeshPortal.Portal.Components.Routing;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace MeshPortal.UnitTests.Portal.Components;

/// <summary>The split editor rendered with bUnit: what the user types or clicks keeps the split at 100%.</summary>
public sealed class SplitEditorComponentTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public SplitEditorComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Render<MudPopoverProvider>();
    }

    private static RouteForm Form(params (string Subset, int Percent)[] rows) => new()
    {
        Split = [.. rows.Select(r => new SplitRow { Service = "catalog", Subset = r.Subset, Percent = r.Percent })],
    };

    [Fact]
    public void TypeWeight_TwoSubsets_OtherTakesTheRestAndChangedRaised()
    {
        var form = Form(("v1", 50), ("v2", 50));
        var changes = 0;
        var editor = _context.Render<SplitEditor>(p => p.Add(e => e.Form, form).Add(e => e.Changed, () => changes++));

        editor.Find("input[aria-label='Weight of catalog/v1']").Change("70");

        Assert.Equal([70, 30], form.Split.Select(r => r.Percent));
        Assert.Equal(1, changes);
    }

    [Fact]
    public void SplitEvenly_OneLocked_LockedKeptOthersShareTheRest()
    {
        var form = Form(("v1", 40), ("v2", 50), ("v3", 10));
        form.Split[0].Locked = true;
        var editor = _context.Render<SplitEditor>(p => p.Add(e => e.Form, form));

        editor.FindAll("button").Single(b => b.TextContent.Contains("Split evenly")).Click();

        Assert.Equal([40, 30, 30], form.Split.Select(r => r.Percent));
    }

    [Fact]
    public void Locked_Row_ItsInputsDisabled()
    {
        var form = Form(("v1", 40), ("v2", 60));
        form.Split[1].Locked = true;

        var editor = _context.Render<SplitEditor>(p => p.Add(e => e.Form, form));

        Assert.True(editor.Find("input[aria-label='Weight of catalog/v2']").HasAttribute("disabled"));
        Assert.False(editor.Find("input[aria-label='Weight of catalog/v1']").HasAttribute("disabled"));
    }

    [Fact]
    public void Remove_Subset_ItsShareGoesToTheOthers()
    {
        var form = Form(("v1", 50), ("v2", 30), ("v3", 20));
        var editor = _context.Render<SplitEditor>(p => p.Add(e => e.Form, form));

        editor.Find("button[aria-label='Remove catalog/v3']").Click();

        Assert.Equal(["v1", "v2"], form.Split.Select(r => r.Subset));
        Assert.Equal(100, form.Split.Sum(r => r.Percent));
    }

    [Fact]
    public void BackendsError_Given_ShownUnderTheSplit()
    {
        var errors = new Dictionary<string, string[]> { ["backends"] = ["weights must add up to more than 0"] };

        var editor = _context.Render<SplitEditor>(p => p.Add(e => e.Form, Form(("v1", 100))).Add(e => e.Errors, errors));

        Assert.Equal("weights must add up to more than 0", editor.Find("[role=alert]").TextContent);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-disposable only.
    public async Task DisposeAsync() => await _context.DisposeAsync();
}

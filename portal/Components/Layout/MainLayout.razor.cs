using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace MeshPortal.Portal.Components.Layout;

public sealed partial class MainLayout
{
    private const string Dark = "dark";
    private const string Light = "light";

    private MudThemeProvider? _themeProvider;
    private bool _drawerOpen = true;
    private bool _dark;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>The browser's saved choice, or its system preference the first time.</summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _themeProvider is null)
        {
            return;
        }

        var saved = await JS.InvokeAsync<string?>("meshTheme.get");
        _dark = saved is null ? await _themeProvider.GetSystemDarkModeAsync() : saved == Dark;
        StateHasChanged();
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleThemeAsync()
    {
        _dark = !_dark;
        await JS.InvokeVoidAsync("meshTheme.set", _dark ? Dark : Light);
    }
}

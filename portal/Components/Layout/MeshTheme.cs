using MudBlazor;

namespace MeshPortal.Portal.Components.Layout;

/// <summary>The portal's palette: one blue accent, status colours that stay readable on both backgrounds.</summary>
public static class MeshTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e5fae",
            Secondary = "#6a4fb3",
            AppbarBackground = "#1e3a5f",
            AppbarText = "#ffffff",
            Background = "#f5f7fa",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            Success = "#2e7d32",
            Warning = "#b26a00",
            Error = "#c62828",
            Info = "#1565c0",
            TableLines = "#e3e7ed",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7ab8ff",
            Secondary = "#b39ddb",
            AppbarBackground = "#151b24",
            AppbarText = "#e6ebf2",
            Background = "#0f141b",
            Surface = "#1a212b",
            DrawerBackground = "#151b24",
            TextPrimary = "#e6ebf2",
            TextSecondary = "#a9b4c2",
            Success = "#66bb6a",
            Warning = "#ffb74d",
            Error = "#ef5350",
            Info = "#64b5f6",
            TableLines = "#2a3340",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };
}

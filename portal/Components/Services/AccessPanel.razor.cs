using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Portal.Components.Services;

/// <summary>A service's access policy: shown to everyone, changed by operators through the same command as the API.</summary>
public sealed partial class AccessPanel
{
    private AccessMode _mode;
    private string? _names;
    private string? _reason;
    private bool _saving;
    private IReadOnlyList<string> _errors = [];
    private AccessPolicy? _shown;
    private bool _loaded;

    [Parameter, EditorRequired]
    public string Service { get; set; } = "";

    [Parameter]
    public AccessPolicy? Access { get; set; }

    [Inject]
    private MeshCommands Commands { get; set; } = default!;

    [Inject]
    private UiSession Session { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> Auth { get; set; } = default!;

    private string CallersText => EventSummary.Callers(Access);

    /// <summary>The form follows the stored policy when it changes, not on every re-render under the user's hands.</summary>
    protected override void OnParametersSet()
    {
        // The cache hands out the same policy object until it changes.
        if (_loaded && ReferenceEquals(_shown, Access))
        {
            return;
        }

        _loaded = true;
        _shown = Access;
        (_mode, _names) = Access switch
        {
            null => (AccessMode.Everyone, null),
            { Allow.Count: 0 } => (AccessMode.Nobody, null),
            _ => (AccessMode.Only, string.Join(", ", Access.Allow)),
        };
    }

    private async Task SaveAsync()
    {
        IReadOnlyList<string> allow = _mode switch
        {
            AccessMode.Everyone => [AccessPolicy.Everyone],
            AccessMode.Nobody => [],
            _ => [.. (_names ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        };
        if (_mode == AccessMode.Only && allow.Count == 0)
        {
            _errors = ["Name at least one service, or choose Nobody."];
            return;
        }

        _saving = true;
        var context = await UiMetadata.ForAsync(Auth, Session, _reason);
        var result = await Commands.SetAccessAsync(Service, allow, null, context, CancellationToken.None);
        _saving = false;
        _errors = result switch
        {
            CommandResult.Invalid invalid => [.. invalid.Errors.Select(e => $"{e.Field}: {e.Message}")],
            CommandResult.Applied => [],
            CommandResult.NotFound notFound => [notFound.Message],
            CommandResult.Forbidden forbidden => [forbidden.Message],
            CommandResult.Unavailable unavailable => [unavailable.Message],
            _ => [$"Not saved: {result}"],
        };
        if (result is CommandResult.Applied applied)
        {
            _reason = null;
            Snackbar.Add(applied.Unchanged ? "Nothing to save: the policy is already this." : $"Saved as revision {applied.Revision}.",
                applied.Unchanged ? Severity.Info : Severity.Success);
        }
    }

    private enum AccessMode
    {
        Everyone,
        Only,
        Nobody,
    }
}

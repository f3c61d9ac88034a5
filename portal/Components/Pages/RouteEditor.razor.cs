using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.Shared.Validation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class RouteEditor : IDisposable
{
    private RouteConfig? _current;
    private RouteDraft? _draft;
    private RouteForm _form = new();
    private long _version;
    private long _revision;
    private string? _reason;
    private string? _conflict;
    private bool _saving;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private ThrottledSubscription? _subscription;

    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private MeshCommands Commands { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> Auth { get; set; } = default!;

    [Inject]
    private UiSession Session { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override void OnParametersSet() => Reload();

    protected override void OnInitialized() =>
        _subscription = Cache.Subscribers.Subscribe(() => InvokeAsync(OnMeshChanged));

    /// <summary>Someone else's change: tracked, but the form is not overwritten under the user's hands.</summary>
    private void OnMeshChanged()
    {
        _revision = Cache.Revision;
        if (_draft is null || _draft.Preview.Count == 0)
        {
            Reload();
        }

        StateHasChanged();
    }

    private void Reload()
    {
        var state = Cache.State;
        _revision = state.Revision;
        _conflict = null;
        _current = state.Routes.GetValueOrDefault(Id);
        if (_current is null)
        {
            return;
        }

        _version = state.StreamVersion(MeshEvents.RouteStream(Id));
        _form = RouteForm.From(_current);
        Edited();
    }

    /// <summary>Runs the shared validators on the candidate: the same rules the save and the gateways apply.</summary>
    private void Edited()
    {
        if (_current is not null)
        {
            _draft = RouteDraft.Of(Cache.State, _current, _form);
            _errors = _draft.Errors;
        }
    }

    private async Task SaveAsync()
    {
        if (_current is null || _draft is null)
        {
            return;
        }

        _saving = true;
        var candidate = _draft.Candidate;
        var metadata = await UiMetadata.ForAsync(Auth, Session, _reason);
        // A change of weights alone is recorded as a split change, which History summarises as such.
        var onlySplit = CanonicalJson.Hash(new MeshConfig { Routes = [_current with { Backends = [] }] })
            == CanonicalJson.Hash(new MeshConfig { Routes = [candidate with { Backends = [] }] });
        var result = onlySplit
            ? await Commands.ChangeSplitAsync(Id, candidate.Backends, _version, metadata, CancellationToken.None)
            : await Commands.ReplaceRouteAsync(candidate, _version, metadata, CancellationToken.None);
        _saving = false;
        switch (result)
        {
            case CommandResult.Applied { Unchanged: true }:
                Reload();
                Snackbar.Add("Nothing to save: the route already has this config.", Severity.Info);
                break;
            case CommandResult.Applied applied:
                Reload();
                _reason = null;
                Snackbar.Add($"Saved as revision {applied.Revision}. The gateways' progress is on the Gateways page.", Severity.Success);
                break;
            case CommandResult.Conflict conflict:
                _conflict = $"Changed by {conflict.Error.LastActor} at revision {conflict.Error.LastPosition} while you were editing — reload to see their change.";
                break;
            case CommandResult.Invalid invalid:
                _errors = invalid.Errors.ToProblemErrors();
                break;
            default:
                _conflict = Refusal(result);
                break;
        }
    }

    /// <summary>Shows what deleting takes away (with its traffic) and sends the removal only once the user agrees.</summary>
    private async Task DeleteAsync()
    {
        var plan = Commands.PreviewRouteRemoval(Id);
        if (!await ConfirmRemoval.AskAsync(Dialogs, plan, $"Delete route {Id}? This removes:", "Delete route"))
        {
            return;
        }

        var context = await UiMetadata.ForAsync(Auth, Session, _reason, confirmed: true);
        switch (await Commands.RemoveRouteAsync(Id, _version, context, CancellationToken.None))
        {
            case CommandResult.Applied applied:
                Snackbar.Add($"Route {Id} deleted at revision {applied.Revision}.", Severity.Success);
                Navigation.NavigateTo("routes");
                break;
            case CommandResult.Conflict conflict:
                _conflict = $"Changed by {conflict.Error.LastActor} at revision {conflict.Error.LastPosition} — reload before deleting.";
                break;
            case CommandResult.Invalid invalid:
                _conflict = string.Join("; ", invalid.Errors);
                break;
            case var other:
                _conflict = Refusal(other);
                break;
        }
    }

    private static string? Refusal(CommandResult result) => result switch
    {
        CommandResult.NotFound notFound => notFound.Message,
        CommandResult.Forbidden forbidden => forbidden.Message,
        CommandResult.Unavailable unavailable => unavailable.Message,
        _ => $"Not saved: {result}",
    };

    public void Dispose() => _subscription?.Dispose();
}

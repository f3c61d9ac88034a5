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

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class RouteEditor
{
    private RouteConfig? _current;
    private RouteConfig? _candidate;
    private RouteForm _form = new();
    private long _version;
    private long _revision;
    private string? _reason;
    private string? _conflict;
    private string? _saved;
    private string? _toAdd;
    private bool _saving;
    private IReadOnlyList<string> _candidates = [];
    private IReadOnlyList<DiffEntry> _preview = [];
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private ThrottledSubscription? _subscription;
    private RemovalPlan? _removal;

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

    protected override void OnParametersSet() => Reload();

    protected override void OnInitialized() =>
        _subscription = Cache.Subscribers.Subscribe(() => InvokeAsync(OnMeshChanged));

    /// <summary>Someone else's change: tracked, but the form is not overwritten under the user's hands.</summary>
    private void OnMeshChanged()
    {
        _revision = Cache.Revision;
        if (_preview.Count == 0)
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
        Validate();
    }

    private void SetWeight(int index, int value)
    {
        var weights = SplitBalancer.Set([.. _form.Split.Select(r => r.Percent)], [.. _form.Split.Select(r => r.Locked)], index, value);
        for (var i = 0; i < weights.Length; i++)
        {
            _form.Split[i].Percent = weights[i];
        }

        Edited();
    }

    private void SplitEvenly()
    {
        var weights = SplitBalancer.Even([.. _form.Split.Select(r => r.Percent)], [.. _form.Split.Select(r => r.Locked)]);
        for (var i = 0; i < weights.Length; i++)
        {
            _form.Split[i].Percent = weights[i];
        }

        Edited();
    }

    private void AddBackend()
    {
        if (_toAdd?.Split('/') is [var service, var subset])
        {
            _form.Split.Add(new SplitRow { Service = service, Subset = subset, Percent = 0 });
        }

        _toAdd = null;
        Edited();
    }

    private void RemoveBackend(SplitRow row)
    {
        var index = _form.Split.IndexOf(row);
        _form.Split.RemoveAt(index);
        if (_form.Split.Count > 0)
        {
            SetWeight(0, _form.Split[0].Percent);
        }

        Edited();
    }

    private void Edited()
    {
        _saved = null;
        Validate();
    }

    /// <summary>Runs the shared validators on the candidate: the same rules the save and the gateways apply.</summary>
    private void Validate()
    {
        if (_current is null)
        {
            return;
        }

        var state = Cache.State;
        _candidate = _form.ToRoute(_current);
        var errors = new ErrorCollector();
        RouteValidator.Validate(_candidate, state.ToConfig(), errors);
        _errors = errors.Errors.ToProblemErrors();
        _preview = ConfigDiff.Compute(state.ToConfig(), state.Apply(new RouteDefined(_candidate)).ToConfig());
        var used = _form.Split.Select(r => r.Key).ToHashSet();
        _candidates = [.. state.Services.Values.SelectMany(s => s.Subsets.Select(x => $"{s.Name}/{x.Name}")).Where(k => !used.Contains(k))];
    }

    private async Task SaveAsync()
    {
        if (_current is null || _candidate is null)
        {
            return;
        }

        _saving = true;
        var metadata = await UiMetadata.ForAsync(Auth, Session, _reason);
        // A change of weights alone is recorded as a split change, which History summarises as such.
        var onlySplit = CanonicalJson.Hash(new MeshConfig { Routes = [_current with { Backends = [] }] })
            == CanonicalJson.Hash(new MeshConfig { Routes = [_candidate with { Backends = [] }] });
        var result = onlySplit
            ? await Commands.ChangeSplitAsync(Id, _candidate.Backends, _version, metadata, CancellationToken.None)
            : await Commands.ReplaceRouteAsync(_candidate, _version, metadata, CancellationToken.None);
        _saving = false;
        switch (result)
        {
            case CommandResult.Applied { Unchanged: true }:
                Reload();
                _saved = "Nothing to save: the route already has this config.";
                break;
            case CommandResult.Applied applied:
                Reload();
                _reason = null;
                _saved = $"Saved as revision {applied.Revision}. The gateways' progress is on the Gateways page.";
                break;
            case CommandResult.Conflict conflict:
                _conflict = $"Changed by {conflict.Error.LastActor} at revision {conflict.Error.LastPosition} while you were editing — reload to see their change.";
                break;
            case CommandResult.Invalid invalid:
                _errors = invalid.Errors.ToProblemErrors();
                break;
            case CommandResult.NotFound notFound:
                _conflict = notFound.Message;
                break;
            case CommandResult.Forbidden forbidden:
                _conflict = forbidden.Message;
                break;
            case CommandResult.Unavailable unavailable:
                _conflict = unavailable.Message;
                break;
        }
    }

    /// <summary>Shows what deleting takes away (with its traffic) before anything is sent.</summary>
    private void AskDelete()
    {
        _saved = null;
        _removal = Commands.PreviewRouteRemoval(Id);
    }

    /// <summary>The user agreed to the removal the dialog named: the confirmation goes with the request.</summary>
    private async Task DeleteAsync()
    {
        _removal = null;
        var context = await UiMetadata.ForAsync(Auth, Session, _reason, confirmed: true);
        switch (await Commands.RemoveRouteAsync(Id, _version, context, CancellationToken.None))
        {
            case CommandResult.Applied:
                Navigation.NavigateTo("routes");
                break;
            case CommandResult.Conflict conflict:
                _conflict = $"Changed by {conflict.Error.LastActor} at revision {conflict.Error.LastPosition} — reload before deleting.";
                break;
            case CommandResult.NotFound notFound:
                _conflict = notFound.Message;
                break;
            case CommandResult.Forbidden forbidden:
                _conflict = forbidden.Message;
                break;
            case CommandResult.Unavailable unavailable:
                _conflict = unavailable.Message;
                break;
            case CommandResult.Invalid invalid:
                _conflict = string.Join("; ", invalid.Errors);
                break;
        }
    }

    public void Dispose() => _subscription?.Dispose();
}

using MeshPortal.Portal.Api;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Radzen;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class History
{
    private const int PageSize = 50;

    private List<HistoryEntry> _events = [];
    private IList<HistoryEntry>? _selected;
    private DiffResponse? _diff;
    private long? _next;
    private long _head;
    private long? _from;
    private long? _to;
    private long _rollbackTarget;
    private string? _actor;
    private string? _stream;
    private string? _rollbackReason;
    private string? _message;
    private AlertStyle _messageStyle;
    private bool _confirming;
    private RemovalPlan? _removal;
    private string? _pendingReason;
    private ThrottledSubscription? _subscription;

    [Inject]
    private MeshHistory MeshHistory { get; set; } = default!;

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private MeshCommands Commands { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> Auth { get; set; } = default!;

    [Inject]
    private UiSession Session { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _subscription = Cache.Subscribers.Subscribe(() => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        }));
    }

    private HistoryQuery Query(long? before) => new()
    {
        Before = before,
        Limit = PageSize,
        Actor = string.IsNullOrWhiteSpace(_actor) ? null : _actor.Trim(),
        Stream = string.IsNullOrWhiteSpace(_stream) ? null : _stream.Trim(),
    };

    private async Task LoadAsync()
    {
        _head = Cache.Revision;
        var page = await MeshHistory.ReadAsync(Query(null), CancellationToken.None);
        _events = [.. page.Select(HistoryApi.ToEntry)];
        _next = page.Count < PageSize ? null : page[^1].Sequence;
    }

    private async Task ApplyFiltersAsync() => await LoadAsync();

    private async Task LoadOlderAsync()
    {
        var page = await MeshHistory.ReadAsync(Query(_next), CancellationToken.None);
        _events.AddRange(page.Select(HistoryApi.ToEntry));
        _next = page.Count < PageSize ? null : page[^1].Sequence;
    }

    /// <summary>A selected change shows what it did: the diff from the revision before it.</summary>
    private async Task SelectAsync(HistoryEntry entry)
    {
        _from = entry.Revision - 1;
        _to = entry.Revision;
        await CompareAsync();
    }

    private async Task CompareAsync()
    {
        _message = null;
        _confirming = false;
        _removal = null;
        var from = _from ?? Math.Max(0, _head - 1);
        var to = _to ?? _head;
        var before = await MeshHistory.StateAtAsync(from, CancellationToken.None);
        var after = await MeshHistory.StateAtAsync(to, CancellationToken.None);
        if (before is null || after is null)
        {
            _diff = null;
            Show($"Revision {(before is null ? from : to)} does not exist (head is {_head}).", AlertStyle.Warning);
            return;
        }

        _diff = new DiffResponse(from, to, ConfigDiff.Compute(before.ToConfig(), after.ToConfig()));
        _rollbackTarget = from;
    }

    private async Task RollbackAsync()
    {
        _pendingReason = $"rollback to revision {_rollbackTarget}" + (string.IsNullOrWhiteSpace(_rollbackReason) ? "" : $": {_rollbackReason.Trim()}");
        _confirming = false;
        _rollbackReason = null;
        await SendRollbackAsync(confirmed: false);
    }

    /// <summary>The user has seen what goes away and agreed: only now is the confirmation sent.</summary>
    private async Task ConfirmRemovalAsync()
    {
        _removal = null;
        await SendRollbackAsync(confirmed: true);
    }

    private void CancelRemoval()
    {
        _removal = null;
        Show("Not rolled back: nothing was changed.", AlertStyle.Info);
    }

    private async Task SendRollbackAsync(bool confirmed)
    {
        var target = _rollbackTarget;
        var context = await UiMetadata.ForAsync(Auth, Session, _pendingReason, confirmed);
        var result = await Commands.RollbackAsync(target, context, CancellationToken.None);
        _message = null;
        switch (result)
        {
            case CommandResult.Applied { Unchanged: true }:
                Show($"Nothing to roll back: the head already has the config of revision {target}.", AlertStyle.Info);
                break;
            case CommandResult.Applied applied:
                await LoadAsync();
                Show($"Rolled back: revision {applied.Revision} has the config of revision {target}.", AlertStyle.Success);
                break;
            case CommandResult.ConfirmationRequired confirmation:
                _removal = confirmation.Plan;
                break;
            case CommandResult.Invalid invalid:
                Show($"Not rolled back: {string.Join("; ", invalid.Errors)}", AlertStyle.Danger);
                break;
            case CommandResult.Conflict conflict:
                Show($"Not rolled back: {conflict.Error.Message}", AlertStyle.Danger);
                break;
            case CommandResult.NotFound notFound:
                Show(notFound.Message, AlertStyle.Warning);
                break;
            case CommandResult.Forbidden forbidden:
                Show($"Not rolled back: {forbidden.Message}", AlertStyle.Danger);
                break;
            case CommandResult.Unavailable unavailable:
                Show($"Not rolled back: {unavailable.Message}", AlertStyle.Danger);
                break;
        }
    }

    private void Show(string message, AlertStyle style)
    {
        _message = message;
        _messageStyle = style;
    }

    public void Dispose() => _subscription?.Dispose();
}

using MeshPortal.Portal.Api;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Components.Shared;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class History : IDisposable
{
    private const int PageSize = 25;

    private List<HistoryEntry> _events = [];
    /// <summary>The cursors of the newer pages, so "Newer" walks back the way "Older" came.</summary>
    private readonly Stack<long?> _cursors = new();
    private long? _cursor;
    private long? _next;
    private DiffResponse? _diff;
    private string? _notFound;
    private long _head;
    private long? _from;
    private long? _to;
    private long _rollbackTarget;
    private long? _selected;
    private string? _actor;
    private string? _stream;
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

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string PageText => _events.Count == 0 ? "" : $"revisions {_events[0].Revision}–{_events[^1].Revision} · head {_head}";

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _subscription = Cache.Subscribers.Subscribe(() => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        }));
    }

    private async Task LoadAsync()
    {
        _head = Cache.Revision;
        var page = await MeshHistory.ReadAsync(new HistoryQuery
        {
            Before = _cursor,
            Limit = PageSize,
            Actor = string.IsNullOrWhiteSpace(_actor) ? null : _actor.Trim(),
            Stream = string.IsNullOrWhiteSpace(_stream) ? null : _stream.Trim(),
        }, CancellationToken.None);
        _events = [.. page.Select(HistoryApi.ToEntry)];
        _next = page.Count < PageSize ? null : page[^1].Sequence;
    }

    private async Task ApplyFiltersAsync()
    {
        _cursors.Clear();
        _cursor = null;
        await LoadAsync();
    }

    private async Task OlderAsync()
    {
        _cursors.Push(_cursor);
        _cursor = _next;
        await LoadAsync();
    }

    private async Task NewerAsync()
    {
        _cursor = _cursors.Count > 0 ? _cursors.Pop() : null;
        await LoadAsync();
    }

    private string RowClass(HistoryEntry entry, int index) => entry.Revision == _selected ? "selected clickable" : "clickable";

    /// <summary>A selected change shows what it did: the diff from the revision before it.</summary>
    private async Task SelectAsync(TableRowClickEventArgs<HistoryEntry> args)
    {
        if (args.Item is not { } entry)
        {
            return;
        }

        _selected = entry.Revision;
        _from = entry.Revision - 1;
        _to = entry.Revision;
        await CompareAsync();
    }

    private async Task CompareAsync()
    {
        _notFound = null;
        var from = _from ?? Math.Max(0, _head - 1);
        var to = _to ?? _head;
        var before = await MeshHistory.StateAtAsync(from, CancellationToken.None);
        var after = await MeshHistory.StateAtAsync(to, CancellationToken.None);
        if (before is null || after is null)
        {
            _diff = null;
            _notFound = $"Revision {(before is null ? from : to)} does not exist (head is {_head}).";
            return;
        }

        _diff = new DiffResponse(from, to, ConfigDiff.Compute(before.ToConfig(), after.ToConfig()));
        _rollbackTarget = from;
    }

    /// <summary>Asks first; when the rollback would remove something, names it and asks again before confirming.</summary>
    private async Task RollbackAsync()
    {
        var target = _rollbackTarget;
        var reason = await ConfirmDialog.AskAsync(Dialogs, $"Roll back to revision {target}?",
            $"Put the config of revision {target} back? This appends new events; history is kept.", "Confirm rollback", "Rollback reason");
        if (reason is null)
        {
            return;
        }

        var full = $"rollback to revision {target}" + (reason.Length == 0 ? "" : $": {reason}");
        var result = await SendRollbackAsync(target, full, confirmed: false);
        if (result is CommandResult.ConfirmationRequired confirmation)
        {
            if (!await ConfirmRemoval.AskAsync(Dialogs, confirmation.Plan, $"Rolling back to revision {target} removes:", "Remove them and roll back"))
            {
                Snackbar.Add("Not rolled back: nothing was changed.", Severity.Info);
                return;
            }

            result = await SendRollbackAsync(target, full, confirmed: true);
        }

        await ShowAsync(result, target);
    }

    private async Task<CommandResult> SendRollbackAsync(long target, string reason, bool confirmed)
    {
        var context = await UiMetadata.ForAsync(Auth, Session, reason, confirmed);
        return await Commands.RollbackAsync(target, context, CancellationToken.None);
    }

    private async Task ShowAsync(CommandResult result, long target)
    {
        switch (result)
        {
            case CommandResult.Applied { Unchanged: true }:
                Snackbar.Add($"Nothing to roll back: the head already has the config of revision {target}.", Severity.Info);
                break;
            case CommandResult.Applied applied:
                await ApplyFiltersAsync();
                Snackbar.Add($"Rolled back: revision {applied.Revision} has the config of revision {target}.", Severity.Success);
                break;
            case CommandResult.Invalid invalid:
                Snackbar.Add($"Not rolled back: {string.Join("; ", invalid.Errors)}", Severity.Error);
                break;
            case CommandResult.Conflict conflict:
                Snackbar.Add($"Not rolled back: {conflict.Error.Message}", Severity.Error);
                break;
            case CommandResult.NotFound notFound:
                Snackbar.Add(notFound.Message, Severity.Warning);
                break;
            case CommandResult.Forbidden forbidden:
                Snackbar.Add($"Not rolled back: {forbidden.Message}", Severity.Error);
                break;
            case CommandResult.Unavailable unavailable:
                Snackbar.Add($"Not rolled back: {unavailable.Message}", Severity.Error);
                break;
        }
    }

    public void Dispose() => _subscription?.Dispose();
}

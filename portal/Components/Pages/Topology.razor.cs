using MeshPortal.Portal.Lists;
using System.Text.Json;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Serialization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;

namespace MeshPortal.Portal.Components.Pages;

/// <summary>
/// The live service graph. The full graph stays here; the browser gets the reduced view (whole,
/// summary or neighbourhood) once, then only its changes each tick, so a big mesh costs the tab
/// what it shows, not what exists.
/// </summary>
public sealed partial class Topology
{
    /// <summary>Batches arrive every second; one delta a second keeps the drawing under two seconds old.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private ElementReference _container;
    private Task<IJSObjectReference>? _import;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Topology>? _self;
    private ThrottledSubscription? _subscription;
    private ITimer? _timer;
    private TopologyGraph _graph = new(60, DateTimeOffset.UnixEpoch, [], []);
    /// <summary>The view as the page has drawn it: small rate changes are held back, here as in the browser.</summary>
    private TopologyView _view = TopologyView.Empty;
    private TopologyQuery _query = new();
    private IReadOnlyDictionary<string, string> _ownerOf = new Dictionary<string, string>();
    private IReadOnlyList<string> _owners = [];
    private bool _reset = true;
    private bool _paused;
    private string _search = "";
    private string? _selectedNode;
    private string? _selectedEdge;

    [Inject]
    private TelemetryStore Telemetry { get; set; } = default!;

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private int Window { get; set; } = 60;

    private int Hops
    {
        get => _query.Hops;
        set => _query = _query with { Hops = value };
    }

    private string FilterName
    {
        get => _query.Name;
        set => _query = _query with { Name = value.Trim() };
    }

    private string FilterOwner
    {
        get => _query.Owner;
        set => _query = _query with { Owner = value };
    }

    private string FilterHealth
    {
        get => _query.Health?.ToString() ?? "";
        set => _query = _query with { Health = Enum.TryParse<Health>(value, out var h) ? h : null };
    }

    private FilterMode FilterMode
    {
        get => _query.FilterMode;
        set => _query = _query with { FilterMode = value };
    }

    private string Subtitle => _view.Mode switch
    {
        TopologyMode.Summary => $"{_view.TotalServices} services, {_view.TotalEdges} edges: grouped by owner, with the busiest and the failing services on their own. Search a service for its neighbourhood.",
        TopologyMode.Neighbourhood => $"Neighbourhood of {_query.Focus}: callers and callees within {_query.Hops} hop{(_query.Hops > 1 ? "s" : "")}.",
        _ => "Live calls between services through the gateways. Click a service or an edge for its numbers.",
    };

    private IReadOnlyList<string> Suggestions => _search.Trim() is { Length: > 0 } text
        ? [.. _graph.Nodes.Select(n => n.Id).Where(id => id.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(id => !id.StartsWith(text, StringComparison.OrdinalIgnoreCase)).ThenBy(id => id, NaturalComparer.Instance).Take(8)]
        : [];

    private ViewNode? SelectedNode => _selectedNode is { } id ? _view.Nodes.FirstOrDefault(n => n.Id == id) : null;

    private ViewEdge? SelectedEdge => _selectedEdge is { } id ? TableEdges.FirstOrDefault(e => e.Id == id) ?? _view.Edges.FirstOrDefault(e => e.Id == id) : null;

    protected override void OnInitialized()
    {
        Compute();

        // Asked for before the first render, so its round trip overlaps the render's instead of following it.
        _import = JS.InvokeAsync<IJSObjectReference>("import", "./js/topology.js").AsTask();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _module = await _import!;
        _self = DotNetObjectReference.Create(this);
        var first = TopologyDiff.Between(TopologyView.Empty, _view, reset: true).Delta;
        await _module.InvokeVoidAsync("init", _container, _self, JsonSerializer.Serialize(first, MeshJson.Options));
        _subscription = Telemetry.Subscribers.Subscribe(() => InvokeAsync(RefreshAsync), RefreshInterval);

        // Idle traffic sends no batches, yet rates must decay: tick even without telemetry.
        _timer = Time.CreateTimer(_ => _subscription.Signal(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private void Compute()
    {
        var state = Cache.State;
        _ownerOf = state.Services.ToDictionary(s => s.Key, s => s.Value.Owner, StringComparer.Ordinal);
        _owners = [.. state.Services.Values.Select(s => s.Owner).Where(o => o.Length > 0).Distinct().Order(NaturalComparer.Instance)];
        _graph = Telemetry.Graph(state.ToConfig(), Window);
        _view = TopologyReducer.Reduce(_graph, _ownerOf, _query);
    }

    private Task Refresh() => RefreshAsync();

    private async Task RefreshAsync()
    {
        if (_paused)
        {
            return;
        }

        var drawn = _view;
        Compute();
        (var delta, _view) = TopologyDiff.Between(drawn, _view, _reset);
        _reset = false;
        if (!delta.IsEmpty)
        {
            await SendAsync(delta);
        }

        StateHasChanged();
    }

    private async Task SendAsync(TopologyDelta delta)
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("apply", JsonSerializer.Serialize(delta, MeshJson.Options));
        }
    }

    private async Task TogglePause()
    {
        _paused = !_paused;
        await RefreshAsync();
    }

    private async Task SearchKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter" && Suggestions.FirstOrDefault() is { } first)
        {
            await FocusAsync(first);
        }
    }

    private async Task FocusAsync(string id)
    {
        _query = _query with { Focus = id };
        _search = "";
        _selectedNode = id;
        _selectedEdge = null;
        _tablePage = 0;
        _reset = true;
        await RefreshAsync();
    }

    private async Task ClearFocusAsync()
    {
        _query = _query with { Focus = null };
        _reset = true;
        await RefreshAsync();
    }

    private async Task ToggleGroupAsync(string owner)
    {
        var expanded = new HashSet<string>(_query.Expanded, StringComparer.Ordinal);
        if (!expanded.Remove(owner))
        {
            expanded.Add(owner);
        }

        _query = _query with { Expanded = expanded };
        _selectedNode = null;
        await RefreshAsync();
    }

    /// <summary>A click in the graph: selects, and a double-click on a service opens its neighbourhood.</summary>
    [JSInvokable]
    public Task Select(string kind, string id) => InvokeAsync(async () =>
    {
        switch (kind)
        {
            case "edge":
                SelectEdge(id);
                break;
            case "open" when !id.StartsWith(TopologyReducer.GroupPrefix, StringComparison.Ordinal):
                await FocusAsync(id);
                return;
            case "open":
                await ToggleGroupAsync(id[TopologyReducer.GroupPrefix.Length..]);
                return;
            default:
                _selectedNode = id;
                _selectedEdge = null;
                _tablePage = 0;
                break;
        }

        StateHasChanged();
    });

    public async ValueTask DisposeAsync()
    {
        _timer?.Dispose();
        _subscription?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("dispose");
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone with the browser tab; nothing left to clean up there.
            }
        }

        _self?.Dispose();
    }
}

using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Telemetry;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Topology
{
    /// <summary>Batches arrive every second; this keeps the drawn data under two seconds old.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private ElementReference _container;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Topology>? _self;
    private ThrottledSubscription? _subscription;
    private ITimer? _timer;
    private TopologyGraph? _graph;
    private TopologyEdge? _selectedEdge;
    private TopologyNode? _selectedNode;
    private int _window = 60;
    private bool _paused;

    [Inject]
    private TelemetryStore Telemetry { get; set; } = default!;

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override void OnInitialized() => _graph = Telemetry.Graph(Cache.State.ToConfig(), _window);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/topology.js");
        _self = DotNetObjectReference.Create(this);
        await _module.InvokeVoidAsync("init", _container, _self);
        await DrawAsync();
        _subscription = Telemetry.Subscribers.Subscribe(() => InvokeAsync(RefreshAsync), RefreshInterval);

        // Idle traffic sends no batches, yet rates must decay: tick even without telemetry.
        _timer = Time.CreateTimer(_ => _subscription.Signal(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private void Refresh() => _ = InvokeAsync(RefreshAsync);

    private async Task RefreshAsync()
    {
        if (_paused)
        {
            return;
        }

        _graph = Telemetry.Graph(Cache.State.ToConfig(), _window);
        _selectedEdge = _selectedEdge is { } e ? _graph.Edges.FirstOrDefault(x => (x.Source, x.Target, x.Subset) == (e.Source, e.Target, e.Subset)) : null;
        _selectedNode = _selectedNode is { } n ? _graph.Nodes.FirstOrDefault(x => x.Id == n.Id) : null;
        await DrawAsync();
        StateHasChanged();
    }

    private async Task DrawAsync()
    {
        if (_module is not null && _graph is not null)
        {
            await _module.InvokeVoidAsync("update", System.Text.Json.JsonSerializer.Serialize(_graph, MeshJson.Options));
        }
    }

    private async Task TogglePause()
    {
        _paused = !_paused;
        await RefreshAsync();
    }

    private void SelectEdge(TopologyEdge edge)
    {
        _selectedEdge = edge;
        _selectedNode = null;
    }

    [JSInvokable]
    public Task Select(string kind, string id) => InvokeAsync(() =>
    {
        _selectedEdge = kind == "edge" ? _graph?.Edges.FirstOrDefault(e => $"{e.Source}->{e.Target}/{e.Subset}" == id) : null;
        var nodeId = id.Split('/')[0];
        _selectedNode = kind == "node" ? _graph?.Nodes.FirstOrDefault(n => n.Id == nodeId) : null;
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

using MeshPortal.Portal.Api;
using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Overview : IDisposable
{
    private IReadOnlyList<GatewayStatus> _gateways = [];

    /// <summary>Closed connections stay listed for a while (as DISCONNECTED) but are not part of the fleet to sync.</summary>
    private int Connected => _gateways.Count(g => g.State != GatewaySyncState.Disconnected);

    private int InSync => _gateways.Count(g => g.State == GatewaySyncState.Synced);
    private TransportSettings _transport = new() { Mode = TransportModes.Strict };

    private int Nodes => _gateways.Where(g => g.State != GatewaySyncState.Disconnected).Select(g => g.Node).Distinct(StringComparer.Ordinal).Count();

    private string TransportNote => _transport.Mode == TransportModes.Strict ? "mutual TLS only" : "mutual TLS where a node takes hops, else plain";

    /// <summary>The whole rule, as the tile's tooltip: the note itself stays one line in a narrow tile.</summary>
    private string TransportRule => _transport.Mode == TransportModes.Strict
        ? "A request leaves its node only over mutual TLS between gateways; an instance on a node whose gateway takes no hops is not called."
        : "Over mutual TLS where the node's gateway takes hops, else in plain straight to the instance (for migrating).";

    private IReadOnlyList<RouteTraffic> _traffic = [];
    private IReadOnlyList<HistoryEntry> _recent = [];
    private RevisionConvergence? _lastConvergence;
    private long _head;
    private string _hash = new('0', 64);
    private int _services;
    private int _routeCount;
    private double _rps;
    private double _errorRate;
    private readonly List<ThrottledSubscription> _subscriptions = [];

    [Inject]
    private GatewayRegistry Registry { get; set; } = default!;

    [Inject]
    private TransportBroadcaster Transport { get; set; } = default!;

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private TelemetryStore Telemetry { get; set; } = default!;

    [Inject]
    private MeshHistory History { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        Func<Task> refresh = () => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
        _subscriptions.Add(Registry.Subscribers.Subscribe(refresh));
        _subscriptions.Add(Cache.Subscribers.Subscribe(refresh));
        _subscriptions.Add(Telemetry.Subscribers.Subscribe(refresh, TimeSpan.FromSeconds(2)));
    }

    private async Task LoadAsync()
    {
        var current = Cache.Snapshot;
        _head = current.Revision;
        _hash = current.Hash;
        _services = current.Config.Services.Count;
        _routeCount = current.Config.Routes.Count;
        _gateways = Registry.List();
        _transport = Transport.Current();
        _lastConvergence = Registry.Convergences().FirstOrDefault();
        _traffic = Telemetry.RouteTraffic(60);
        _rps = _traffic.Sum(r => r.Rps);
        _errorRate = _rps > 0 ? _traffic.Sum(r => r.Rps * r.ErrorRate) / _rps : 0;
        if (_recent.FirstOrDefault()?.Revision != _head)
        {
            _recent = [.. (await History.ReadAsync(new HistoryQuery { Limit = 6 }, CancellationToken.None)).Select(HistoryApi.ToEntry)];
        }
    }

    private static string ErrorClass(double rate) => rate >= TopologyBuilder.FailingAt ? "failing" : rate >= TopologyBuilder.DegradedAt ? "degraded" : "";

    public void Dispose() => _subscriptions.ForEach(s => s.Dispose());
}

using MeshPortal.Portal.Lists;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class ServiceDetail : IDisposable
{
    private ServiceConfig? _service;
    private IReadOnlyList<RouteConfig> _routes = [];
    private IReadOnlyList<SubsetView> _subsets = [];
    private ThrottledSubscription? _config;
    private ThrottledSubscription? _traffic;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private TelemetryStore Telemetry { get; set; } = default!;

    protected override void OnParametersSet() => Load();

    protected override void OnInitialized()
    {
        _config = Cache.Subscribers.Subscribe(() => InvokeAsync(Refresh));
        _traffic = Telemetry.Subscribers.Subscribe(() => InvokeAsync(Refresh), TimeSpan.FromSeconds(1));
    }

    private void Refresh()
    {
        Load();
        StateHasChanged();
    }

    private void Load()
    {
        var config = Cache.Snapshot.Config;
        _service = config.FindService(Name);
        _routes = [.. config.Routes.Where(r => r.Backends.Any(b => b.Service == Name)).OrderBy(r => r.Id, NaturalComparer.Instance)];
        var edges = Telemetry.Graph(config, 60).Edges.Where(e => e.Target == Name).ToList();
        _subsets = _service is null ? [] : [.. _service.Subsets.Select(s => SubsetView.Of(s, edges))];
    }

    public void Dispose()
    {
        _config?.Dispose();
        _traffic?.Dispose();
    }

    /// <summary>A subset with the traffic it received over the last minute.</summary>
    private sealed record SubsetView(SubsetConfig Config, double Rps, double ErrorRate, Health Health)
    {
        public static SubsetView Of(SubsetConfig subset, IReadOnlyList<TopologyEdge> edges)
        {
            var traffic = edges.Where(e => e.Subset == subset.Name).ToList();
            var rps = traffic.Sum(e => e.Rps);
            var errors = rps > 0 ? traffic.Sum(e => e.Rps * e.ErrorRate) / rps : 0;
            return new SubsetView(subset, rps, errors, TopologyBuilder.HealthOf(errors, rps));
        }
    }
}

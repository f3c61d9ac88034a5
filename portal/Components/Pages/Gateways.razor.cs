using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Lists;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Security.Ca;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Gateways : IDisposable
{
    /// <summary>STALE and "last seen" change with time alone, so the page also ticks.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly int[] PageSizes = [25, 50, 100];

    private MudTable<GatewayStatus>? _table;
    private Dictionary<GatewaySyncState, int> _counts = [];
    private RevisionConvergence? _lastConvergence;
    private GatewaySyncState? _state;
    private string? _search;
    private long _head;
    private ThrottledSubscription? _subscription;
    private ITimer? _timer;

    [Inject]
    private GatewayRegistry Registry { get; set; } = default!;

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IOptions<MeshCaOptions> CaOptions { get; set; } = default!;

    protected override void OnInitialized()
    {
        LoadSummary();
        _subscription = Registry.Subscribers.Subscribe(() => InvokeAsync(ReloadAsync));
        _timer = Time.CreateTimer(_ => _subscription.Signal(), null, Tick, Tick);
    }

    /// <summary>The head and the counts by state, above the table.</summary>
    private void LoadSummary()
    {
        _head = Cache.Revision;
        _counts = Registry.List().GroupBy(g => g.State).ToDictionary(g => g.Key, g => g.Count());
        _lastConvergence = Registry.Convergences().FirstOrDefault();
    }

    private Task<TableData<GatewayStatus>> LoadAsync(TableState state, CancellationToken ct)
    {
        var matching = Registry.List().Where(g => (_state is null || g.State == _state)
            && (string.IsNullOrWhiteSpace(_search) || g.Node.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase) || g.GatewayId.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)));
        var sorted = state.SortDirection == SortDirection.Descending
            ? matching.OrderByDescending(g => g.Node, NaturalComparer.Instance).ThenByDescending(g => g.GatewayId, NaturalComparer.Instance)
            : matching.OrderBy(g => g.Node, NaturalComparer.Instance).ThenBy(g => g.GatewayId, NaturalComparer.Instance);
        var rows = sorted.ToList();
        return Task.FromResult(new TableData<GatewayStatus> { Items = [.. rows.Skip(state.Page * state.PageSize).Take(state.PageSize)], TotalItems = rows.Count });
    }

    private Task SearchAsync(string? value)
    {
        _search = value;
        return ReloadAsync();
    }

    private Task StateAsync(GatewaySyncState? value)
    {
        _state = value;
        return ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        LoadSummary();
        StateHasChanged();
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private string Ago(DateTimeOffset at)
    {
        var age = Time.GetUtcNow() - at;
        return age.TotalSeconds < 2 ? "just now" : age.TotalMinutes < 2 ? $"{age.TotalSeconds:0} s ago" : $"{at.ToLocalTime():HH:mm:ss}";
    }

    private CertificateState CertificateOf(GatewayStatus gateway) =>
        CertificateHealth.Of(gateway.CertificateNotAfter, CaOptions.Value.CertificateLifetime, Time.GetUtcNow());

    private static string FormatMs(double ms) => ms < 1000 ? $"{ms:0} ms" : $"{ms / 1000:0.0} s";

    public void Dispose()
    {
        _timer?.Dispose();
        _subscription?.Dispose();
    }
}

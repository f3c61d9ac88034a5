using MeshPortal.Portal.Lists;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Telemetry;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Services : IDisposable
{
    private const int RoutesShown = 4;
    private static readonly int[] PageSizes = [25, 50, 100];

    private MudTable<ServiceRow>? _table;
    private IReadOnlyList<string> _owners = [];
    private string? _search;
    private string? _owner;
    private string? _health;
    private readonly List<ThrottledSubscription> _subscriptions = [];

    [Inject]
    private MeshLists Lists { get; set; } = default!;

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private TelemetryStore Telemetry { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized()
    {
        _owners = Lists.Owners();
        Func<Task> refresh = () => InvokeAsync(async () =>
        {
            _owners = Lists.Owners();
            await ReloadAsync();
        });
        _subscriptions.Add(Cache.Subscribers.Subscribe(refresh));
        _subscriptions.Add(Telemetry.Subscribers.Subscribe(refresh, TimeSpan.FromSeconds(5)));
    }

    /// <summary>Only the page on screen is built and sent to the browser.</summary>
    private Task<TableData<ServiceRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = Lists.Services(new ListQuery
        {
            Search = _search,
            Owner = _owner,
            Health = _health,
            Offset = state.Page * state.PageSize,
            Limit = state.PageSize,
            Descending = state.SortDirection == SortDirection.Descending,
        });
        return Task.FromResult(new TableData<ServiceRow> { Items = page.Items, TotalItems = page.Total });
    }

    private Task SearchAsync(string? value)
    {
        _search = value;
        return ReloadAsync();
    }

    private Task OwnerAsync(string? value)
    {
        _owner = value;
        return ReloadAsync();
    }

    private Task HealthAsync(string? value)
    {
        _health = value;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private void Open(TableRowClickEventArgs<ServiceRow> args)
    {
        if (args.Item is { } row)
        {
            Navigation.NavigateTo($"services/{row.Service.Name}");
        }
    }

    public void Dispose() => _subscriptions.ForEach(s => s.Dispose());
}

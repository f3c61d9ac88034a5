using MeshPortal.Portal.Lists;
using MeshPortal.Portal.Live;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class RoutesList : IDisposable
{
    private static readonly int[] PageSizes = [25, 50, 100];

    private MudTable<RouteConfig>? _table;
    private IReadOnlyList<string> _services = [];
    private IReadOnlyList<string> _owners = [];
    private string? _search;
    private string? _service;
    private string? _owner;
    private ThrottledSubscription? _subscription;

    [Inject]
    private MeshLists Lists { get; set; } = default!;

    [Inject]
    private MeshStateCache Cache { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized()
    {
        LoadFilters();
        _subscription = Cache.Subscribers.Subscribe(() => InvokeAsync(async () =>
        {
            LoadFilters();
            await ReloadAsync();
        }));
    }

    private void LoadFilters()
    {
        _services = Lists.ServiceNames();
        _owners = Lists.Owners();
    }

    /// <summary>Only the page on screen is built and sent to the browser.</summary>
    private Task<TableData<RouteConfig>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = Lists.Routes(new ListQuery
        {
            Search = _search,
            Service = _service,
            Owner = _owner,
            Offset = state.Page * state.PageSize,
            Limit = state.PageSize,
            Descending = state.SortDirection == SortDirection.Descending,
        });
        return Task.FromResult(new TableData<RouteConfig> { Items = page.Items, TotalItems = page.Total });
    }

    private Task SearchAsync(string? value)
    {
        _search = value;
        return ReloadAsync();
    }

    private Task ServiceAsync(string? value)
    {
        _service = value;
        return ReloadAsync();
    }

    private Task OwnerAsync(string? value)
    {
        _owner = value;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private void Open(TableRowClickEventArgs<RouteConfig> args)
    {
        if (args.Item is { } route)
        {
            Navigation.NavigateTo($"routes/{route.Id}");
        }
    }

    private static string Describe(RouteMatch m)
    {
        var parts = new List<string>();
        if (m.Hosts.Count > 0)
        {
            parts.Add($"host {string.Join(", ", m.Hosts)}");
        }

        if (m.PathPrefix is { } p)
        {
            parts.Add($"path {p}*");
        }

        if (m.Methods.Count > 0)
        {
            parts.Add(string.Join("/", m.Methods));
        }

        parts.AddRange(m.Headers.Select(h => $"{h.Name} {(h.Regex ? "~" : "=")} {h.Value}"));
        return string.Join(" · ", parts);
    }

    private static string Policies(RoutePolicies p)
    {
        var parts = new List<string> { p.LoadBalancing };
        if (p.TimeoutMs is { } t)
        {
            parts.Add($"timeout {t} ms");
        }

        if (p.Retries is { Attempts: > 0 } r)
        {
            parts.Add($"{r.Attempts} retries");
        }

        if (p.CircuitBreaker is not null)
        {
            parts.Add("circuit breaker");
        }

        if (p.RateLimit is { } l)
        {
            parts.Add($"{l.RequestsPerSecond} rps limit");
        }

        if (p.Fault is not null)
        {
            parts.Add("fault injection");
        }

        return string.Join(" · ", parts);
    }

    public void Dispose() => _subscription?.Dispose();
}

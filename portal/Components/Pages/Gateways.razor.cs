using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Live;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Gateways
{
    /// <summary>STALE and "last seen" change with time alone, so the page also ticks.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private IReadOnlyList<GatewayStatus> _gateways = [];
    private RevisionConvergence? _lastConvergence;
    private long _head;
    private ThrottledSubscription? _subscription;
    private ITimer? _timer;

    protected override void OnInitialized()
    {
        Load();
        _subscription = Registry.Subscribers.Subscribe(() => InvokeAsync(Reload));
        _timer = Time.CreateTimer(_ => _subscription.Signal(), null, Tick, Tick);
    }

    private void Load()
    {
        _head = Cache.Revision;
        _gateways = Registry.List();
        _lastConvergence = Registry.Convergences().FirstOrDefault();
    }

    private void Reload()
    {
        Load();
        StateHasChanged();
    }

    private string Ago(DateTimeOffset at)
    {
        var age = Time.GetUtcNow() - at;
        return age.TotalSeconds < 2 ? "just now" : age.TotalMinutes < 2 ? $"{age.TotalSeconds:0} s ago" : $"{at.ToLocalTime():HH:mm:ss}";
    }

    private static string FormatMs(double ms) => ms < 1000 ? $"{ms:0} ms" : $"{ms / 1000:0.0} s";

    public void Dispose()
    {
        _timer?.Dispose();
        _subscription?.Dispose();
    }
}

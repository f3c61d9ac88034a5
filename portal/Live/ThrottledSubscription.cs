namespace MeshPortal.Portal.Live;

/// <summary>
/// Coalesces bursts of change signals into at most one callback per interval, with at most one
/// queued: a page subscribed to a busy source re-renders ~10 times a second, never per message.
/// </summary>
public sealed class ThrottledSubscription : IDisposable
{
    private readonly Func<Task> _callback;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Action<ThrottledSubscription> _unsubscribe;
    private int _pending;
    private bool _disposed;

    internal ThrottledSubscription(Func<Task> callback, TimeSpan interval, TimeProvider time, Action<ThrottledSubscription> unsubscribe)
    {
        _callback = callback;
        _interval = interval;
        _time = time;
        _unsubscribe = unsubscribe;
    }

    public void Signal()
    {
        if (_disposed || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        await Task.Delay(_interval, _time);
        Interlocked.Exchange(ref _pending, 0);
        if (!_disposed)
        {
            await _callback();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _unsubscribe(this);
    }
}

/// <summary>The subscriber list a live data source keeps.</summary>
public sealed class Subscribers(TimeProvider time)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private ThrottledSubscription[] _subscriptions = [];

    public ThrottledSubscription Subscribe(Func<Task> callback, TimeSpan? interval = null)
    {
        var subscription = new ThrottledSubscription(callback, interval ?? DefaultInterval, time, Remove);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    public void Notify()
    {
        foreach (var s in _subscriptions)
        {
            s.Signal();
        }
    }

    private void Remove(ThrottledSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }
}

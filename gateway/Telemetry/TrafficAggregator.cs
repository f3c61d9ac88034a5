namespace MeshPortal.Gateway.Telemetry;

/// <summary>
/// Collects the traffic of the current window; the publisher swaps in a fresh window every second, and
/// at once when an edge starts failing (<see cref="FailureStarted"/>).
/// </summary>
internal sealed class TrafficAggregator(TimeProvider time)
{
    /// <summary>Distinct (source, route, service, subset, status class) keys kept per window.</summary>
    public const int MaxKeysPerWindow = 5_000;

    private volatile TrafficWindow _current = new(time.GetUtcNow().ToUnixTimeSeconds(), MaxKeysPerWindow);
    private volatile TrafficWindow? _previous;
    private volatile TaskCompletionSource _failureStarted = NewSignal();

    /// <summary>
    /// Completes when the current window records a failure (5xx, or no response) on a key the window before it
    /// did not have: an edge that starts failing, not one that goes on failing. A fresh task after each swap.
    /// </summary>
    public Task FailureStarted => _failureStarted.Task;

    public void Record(string source, string route, string service, string subset, int statusCode, double milliseconds, bool denied = false)
    {
        var key = new TrafficKey(source, route, service, subset, statusCode / 100, denied);

        // Only a key's first request in a window gets past the first test, so the hot path pays nothing.
        if (_current.Record(key, milliseconds) && key.IsFailure && _previous?.Has(key) != true)
        {
            _failureStarted.TrySetResult();
        }
    }

    /// <summary>Starts a new window and returns the finished one.</summary>
    public TrafficWindow Swap()
    {
        _failureStarted = NewSignal();
        var finished = Interlocked.Exchange(ref _current, new TrafficWindow(time.GetUtcNow().ToUnixTimeSeconds(), MaxKeysPerWindow));
        _previous = finished;
        return finished;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

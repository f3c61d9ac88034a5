namespace MeshPortal.Gateway.Telemetry;

/// <summary>Collects the traffic of the current second; the publisher swaps in a fresh window every second.</summary>
internal sealed class TrafficAggregator(TimeProvider time)
{
    /// <summary>Distinct (source, route, service, subset, status class) keys kept per second.</summary>
    public const int MaxKeysPerWindow = 5_000;

    private volatile TrafficWindow _current = new(time.GetUtcNow().ToUnixTimeSeconds(), MaxKeysPerWindow);

    public void Record(string source, string route, string service, string subset, int statusCode, double milliseconds, bool denied = false) =>
        _current.Record(new TrafficKey(source, route, service, subset, statusCode / 100, denied), milliseconds);

    /// <summary>Starts a new window and returns the finished one.</summary>
    public TrafficWindow Swap() =>
        Interlocked.Exchange(ref _current, new TrafficWindow(time.GetUtcNow().ToUnixTimeSeconds(), MaxKeysPerWindow));
}

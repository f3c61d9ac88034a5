namespace MeshPortal.Gateway.RateLimit;

/// <summary>
/// A token bucket kept as one timestamp (the generic cell rate algorithm): taking a token is a single
/// compare-and-swap, with no lock, no allocation and no refill timer.
/// </summary>
/// <remarks>
/// The bucket holds <see cref="Capacity"/> tokens and gains <see cref="RequestsPerSecond"/> per second.
/// The capacity is the burst, but never less than one second of the rate: with no burst set, a route
/// limited to 10 req/s still takes 10 requests that arrive together.
/// </remarks>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _tolerance;

    // When the bucket would be full again if no request came: each token taken moves it one interval on.
    private long _fullAt;

    public TokenBucket(int requestsPerSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        RequestsPerSecond = requestsPerSecond;
        Burst = burst;
        Capacity = Math.Max(requestsPerSecond, burst);
        _time = time;
        _interval = Math.Max(1, time.TimestampFrequency / requestsPerSecond);
        _tolerance = _interval * Capacity;
    }

    public int RequestsPerSecond { get; }

    public int Burst { get; }

    public int Capacity { get; }

    /// <summary>Takes a token; when there is none, <paramref name="retryAfter"/> says when the next one comes.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            var fullAt = Volatile.Read(ref _fullAt);
            var next = Math.Max(fullAt, now) + _interval;
            var wait = next - now - _tolerance;
            if (wait > 0)
            {
                retryAfter = _time.GetElapsedTime(0, wait);
                return false;
            }

            if (Interlocked.CompareExchange(ref _fullAt, next, fullAt) == fullAt)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }
    }
}

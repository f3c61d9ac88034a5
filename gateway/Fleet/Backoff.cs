namespace MeshPortal.Gateway.Fleet;

/// <summary>Exponential backoff with jitter, capped, so a fleet of gateways does not reconnect in lockstep.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, Random random)
{
    /// <remarks>
    /// Capped at 2 s so a fleet is back within seconds of the portal returning; the jitter still
    /// spreads the reconnects of a large fleet over a second.
    /// </remarks>
    public static Backoff Default { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), Random.Shared);

    /// <summary>Delay before retry number <paramref name="attempt"/> + 1 (0 for the first retry).</summary>
    public TimeSpan Delay(long attempt)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));

        // Half fixed, half random: spread out, yet never a busy retry loop.
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }
}

using Microsoft.AspNetCore.SignalR.Client;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// When to retry the portal, for the first connect and for SignalR's automatic reconnect alike; it
/// never gives up.
/// </summary>
/// <remarks>
/// SignalR counts retries per outage only, so a portal that accepts the connection and then drops it
/// (say, because the token is for another node) would be hammered every few hundred milliseconds.
/// Connections that die young therefore keep the backoff growing until one lasts.
/// </remarks>
internal sealed class FleetRetryPolicy(Backoff backoff, TimeProvider time) : IRetryPolicy
{
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(10);

    private long _connectedAt;
    private int _shortLivedConnections;

    public TimeSpan Delay(long attempt) => backoff.Delay(attempt + Volatile.Read(ref _shortLivedConnections));

    public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay(retryContext.PreviousRetryCount);

    public void Connected() => Volatile.Write(ref _connectedAt, time.GetTimestamp());

    public void Lost()
    {
        if (time.GetElapsedTime(Volatile.Read(ref _connectedAt)) < StableAfter)
        {
            Interlocked.Increment(ref _shortLivedConnections);
        }
        else
        {
            Volatile.Write(ref _shortLivedConnections, 0);
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Connections;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// The portal replicas a gateway knows, tried in turn: every connect after the first goes to the
/// next one, so a gateway whose replica stopped or died is on another at its first reconnect,
/// without waiting for the lost one to come back.
/// </summary>
internal sealed class PortalRotation(IReadOnlyList<Uri> hubs)
{
    private int _attempts = -1;

    public Uri Current => hubs[(int)((uint)Math.Max(Volatile.Read(ref _attempts), 0) % (uint)hubs.Count)];

    /// <summary>The hub the next connect goes to: the first one first, then each in turn.</summary>
    public Uri Next() => hubs[(int)((uint)Interlocked.Increment(ref _attempts) % (uint)hubs.Count)];

    /// <summary>SignalR's connection factory, sent to <see cref="Next"/> instead of its one fixed URL.</summary>
    public IConnectionFactory Wrap(IConnectionFactory inner) => new RotatingFactory(this, inner);

    private sealed class RotatingFactory(PortalRotation rotation, IConnectionFactory inner) : IConnectionFactory
    {
        public ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
            inner.ConnectAsync(new UriEndPoint(rotation.Next()), cancellationToken);
    }
}

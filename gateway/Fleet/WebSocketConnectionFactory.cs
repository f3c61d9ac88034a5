using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// Opens the fleet hub's WebSocket directly, without SignalR negotiation (the HTTP connections
/// client is not available here). The token travels only as a bearer header: in the query string
/// it would land in every proxy's and server's request log.
/// </summary>
internal sealed class WebSocketConnectionFactory(string token) : IConnectionFactory
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UriEndPoint { Uri: var uri })
        {
            throw new NotSupportedException($"the fleet hub needs a {nameof(UriEndPoint)}, got {endpoint.GetType().Name}");
        }

        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        try
        {
            // A portal that drops packets would otherwise hold the attempt for the whole TCP timeout.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new WebSocketConnection(socket);
        connection.Start();
        return connection;
    }
}

using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// Opens the fleet hub's WebSocket directly, without SignalR negotiation (the HTTP connections
/// client is not available here). The token travels as a bearer header and as the
/// <c>access_token</c> query parameter, which is what the portal reads for WebSockets.
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
            await socket.ConnectAsync(WithToken(uri), timeout.Token);
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

    private Uri WithToken(Uri uri)
    {
        var builder = new UriBuilder(uri);
        var parameter = $"{FleetProtocol.TokenQueryParameter}={Uri.EscapeDataString(token)}";
        builder.Query = string.IsNullOrEmpty(builder.Query) ? parameter : $"{builder.Query.TrimStart('?')}&{parameter}";
        return builder.Uri;
    }
}

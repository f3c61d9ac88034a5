using MeshPortal.Gateway.Hosting;
using MeshPortal.Shared.Serialization;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// The SignalR connection to the portal's fleet hub: WebSockets only, without the negotiate round
/// trip (a gateway never needs another transport). The .NET client sends the token as a bearer
/// header on the WebSocket request, never in the query string, where it would land in every
/// proxy's and server's request log.
/// </summary>
internal static class FleetConnection
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The connection, with <paramref name="accessToken"/> asked at every connect, or else <see cref="GatewayOptions.Token"/>;
    /// the portal's certificate is checked by <paramref name="trust"/>, or else by the system's trust.
    /// </summary>
    public static HubConnection Build(
        GatewayOptions options, PortalRotation portals, IRetryPolicy retryPolicy, ILoggerFactory loggerFactory,
        Func<Task<string?>>? accessToken = null, PortalTrust? trust = null)
    {
        var token = options.Token;
        accessToken ??= () => Task.FromResult<string?>(token);
        var builder = new HubConnectionBuilder()
            .WithUrl(portals.Current, HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.AccessTokenProvider = accessToken;
                // A portal that drops packets would otherwise hold the attempt for the whole TCP timeout.
                o.WebSocketConfiguration = ws =>
                {
                    ws.KeepAliveInterval = TimeSpan.FromSeconds(15);
                    if (trust is not null)
                    {
                        ws.RemoteCertificateValidationCallback = trust.Validate;
                    }
                };
                // Only the WebSocket is used (no negotiate), but any HTTP request SignalR makes is held to the same trust.
                if (trust is not null)
                {
                    o.HttpMessageHandlerFactory = handler =>
                    {
                        if (handler is HttpClientHandler client)
                        {
                            client.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => trust.Validate(request, certificate, chain, errors);
                        }

                        return handler;
                    };
                }
            })
            .AddJsonProtocol(o => MeshJson.Configure(o.PayloadSerializerOptions))
            .WithAutomaticReconnect(retryPolicy);
        builder.Services.AddSingleton(loggerFactory);
        // The factory refuses any URL but the one fixed by WithUrl unless that is cleared; the
        // rotation then names the replica for each connect.
        builder.Services.PostConfigure<HttpConnectionOptions>(o => o.Url = null);
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(portals.Current));
        builder.Services.AddSingleton<IConnectionFactory>(sp => portals.Wrap(ActivatorUtilities.CreateInstance<HttpConnectionFactory>(sp)));
        var connection = builder.Build();
        connection.HandshakeTimeout = ConnectTimeout;
        return connection;
    }
}

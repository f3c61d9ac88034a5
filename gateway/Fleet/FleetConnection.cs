using System.Net;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Shared.Serialization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace MeshPortal.Gateway.Fleet;

/// <summary>Builds the SignalR connection to the portal's fleet hub over the gateway's own WebSocket transport.</summary>
internal static class FleetConnection
{
    public static HubConnection Build(GatewayOptions options, IRetryPolicy retryPolicy, ILoggerFactory loggerFactory)
    {
        var builder = new HubConnectionBuilder();
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory(options.Token));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(options.FleetHubUri));
        builder.Services.AddSingleton(loggerFactory);
        builder.AddJsonProtocol(o => MeshJson.Configure(o.PayloadSerializerOptions));
        builder.WithAutomaticReconnect(retryPolicy);
        return builder.Build();
    }
}

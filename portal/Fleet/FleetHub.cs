using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace MeshPortal.Portal.Fleet;

/// <summary>The gateways' line to the control plane: Hello, Ack, Nack and Telemetry in; ApplyConfig out.</summary>
[Authorize(Policy = Policies.Fleet)]
public sealed partial class FleetHub(
    GatewayRegistry registry, MeshStateCache cache, Telemetry.TelemetryStore telemetry, ILogger<FleetHub> logger) : Hub
{
    public const string GatewaysGroup = "gateways";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, GatewaysGroup);
        await base.OnConnectedAsync();
    }

    public async Task Hello(GatewayHello hello)
    {
        var node = Context.User?.FindFirst(GatewayTokenAuthenticationHandler.NodeClaim)?.Value;
        if (hello.Node != node)
        {
            LogNodeMismatch(hello.Node, node ?? "(none)");
            Context.Abort();
            return;
        }

        registry.Connected(Context.ConnectionId, hello);
        LogHello(hello.Node, hello.GatewayId, hello.AppliedRevision);
        var snapshot = cache.Snapshot;
        if (hello.AppliedRevision != snapshot.Revision || hello.AppliedHash != snapshot.Hash)
        {
            await Clients.Caller.SendAsync(FleetProtocol.ApplyConfig, snapshot);
        }
    }

    public void Ack(long revision, string hash) => registry.Acked(Context.ConnectionId, revision, hash);

    public void Nack(long revision, string error)
    {
        LogNack(Context.User?.Identity?.Name ?? "?", revision, error);
        registry.Nacked(Context.ConnectionId, revision, error);
    }

    public void Telemetry(TelemetryBatch batch)
    {
        registry.Seen(Context.ConnectionId);
        telemetry.Add(batch);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        registry.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Gateway {GatewayId} on {Node} connected at revision {Revision}")]
    private partial void LogHello(string node, string gatewayId, long revision);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Gateway claimed node '{Claimed}' but its token is for '{Node}'; disconnected")]
    private partial void LogNodeMismatch(string claimed, string node);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "{Gateway} rejected revision {Revision}: {Error}")]
    private partial void LogNack(string gateway, long revision, string error);
}

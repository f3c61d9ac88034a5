using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Keeps every gateway told where its peers take hops: the mode and, per node, the inbound URL of a
/// live gateway of the fleet (this replica's and those the other replicas share). A new gateway gets it
/// with its Hello (<see cref="FleetHub.Hello"/>); the whole fleet again whenever the list changes.
/// </summary>
public sealed partial class TransportBroadcaster(
    GatewayRegistry registry, IHubContext<FleetHub> hub, IOptions<TransportOptions> options, ILogger<TransportBroadcaster> logger) : BackgroundService
{
    private TransportSettings? _sent;

    /// <summary>The settings as the fleet stands now; a node with several gateways is named once, by its first in order.</summary>
    public TransportSettings Current() => new()
    {
        Mode = options.Value.TransportMode,
        Peers =
        [
            .. registry.List()
                .Where(g => g.State != GatewaySyncState.Disconnected && g.InboundUrl is not null)
                .GroupBy(g => g.Node, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Take(TransportLimits.MaxPeers)
                .Select(g => new PeerGateway { Node = g.Key, InboundUrl = g.OrderBy(x => x.GatewayId, StringComparer.Ordinal).First().InboundUrl! }),
        ],
    };

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = registry.Subscribers.Subscribe(() => PushIfChangedAsync(stoppingToken));
        stoppingToken.Register(subscription.Dispose);
        return Task.CompletedTask;
    }

    private async Task PushIfChangedAsync(CancellationToken stoppingToken)
    {
        var current = Current();
        var sent = Volatile.Read(ref _sent);
        if (sent is not null && sent.Mode == current.Mode && sent.Peers.SequenceEqual(current.Peers))
        {
            return;
        }

        Volatile.Write(ref _sent, current);
        try
        {
            await hub.Clients.Group(FleetHub.GatewaysGroup).SendAsync(FleetProtocol.ApplyTransport, current, stoppingToken);
            LogPushed(current.Mode, current.Peers.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Volatile.Write(ref _sent, null);
            LogPushFailed(ex);
        }
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Information, Message = "Pushed the transport to the fleet: mode {Mode}, {Peers} nodes taking mTLS hops")]
    private partial void LogPushed(string mode, int peers);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Error, Message = "Pushing the transport to the fleet failed")]
    private partial void LogPushFailed(Exception ex);
}

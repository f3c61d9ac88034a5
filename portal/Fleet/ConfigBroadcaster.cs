using System.Threading.Channels;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.SignalR;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Pushes each new head snapshot to every gateway. One consumer keeps pushes in revision order;
/// a burst of changes collapses to its newest snapshot (state of the world, so nothing is lost).
/// </summary>
public sealed partial class ConfigBroadcaster(
    MeshStateCache cache, GatewayRegistry registry, IHubContext<FleetHub> hub, ILogger<ConfigBroadcaster> logger) : BackgroundService
{
    private readonly Channel<MeshSnapshot> _pending = Channel.CreateBounded<MeshSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        registry.HeadChanged(cache.Snapshot.Revision, cache.Snapshot.Hash);
        cache.Changed += OnChanged;
        try
        {
            await foreach (var snapshot in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.Group(FleetHub.GatewaysGroup).SendAsync(FleetProtocol.ApplyConfig, snapshot, stoppingToken);
                    LogPushed(snapshot.Revision);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPushFailed(ex, snapshot.Revision);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            cache.Changed -= OnChanged;
        }
    }

    private void OnChanged(MeshStateCache.Current current)
    {
        registry.HeadChanged(current.Snapshot.Revision, current.Snapshot.Hash);
        _pending.Writer.TryWrite(current.Snapshot);
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Debug, Message = "Pushed revision {Revision} to the fleet")]
    private partial void LogPushed(long revision);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Error, Message = "Pushing revision {Revision} to the fleet failed")]
    private partial void LogPushFailed(Exception ex, long revision);
}

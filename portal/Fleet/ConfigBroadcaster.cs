using System.Threading.Channels;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.SignalR;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Pushes each new head to every gateway: the delta from the revision pushed before, computed once for
/// the whole fleet, or the whole snapshot when that is smaller. One consumer keeps pushes in revision
/// order; a burst of changes collapses to its newest revision (the delta then spans the burst). A gateway
/// that did not apply the delta's base asks for the snapshot (<see cref="FleetHub.RequestSnapshot"/>).
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

        // What the gateways were last sent: until the first push, the head each got on Hello.
        var last = ConfigIndex.Of(cache.Snapshot);
        try
        {
            await foreach (var snapshot in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var index = ConfigIndex.Of(snapshot);
                    var delta = last.Snapshot.Revision < snapshot.Revision ? ConfigDeltas.Between(last, index) : null;
                    last = index;
                    var gateways = hub.Clients.Group(FleetHub.GatewaysGroup);
                    await (delta is null
                        ? gateways.SendAsync(FleetProtocol.ApplyConfig, snapshot, stoppingToken)
                        : gateways.SendAsync(FleetProtocol.ApplyDelta, delta, stoppingToken));
                    LogPushed(snapshot.Revision, delta is null ? "snapshot" : $"delta from {delta.BaseRevision}");
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

    [LoggerMessage(EventId = 1310, Level = LogLevel.Debug, Message = "Pushed revision {Revision} to the fleet as {Kind}")]
    private partial void LogPushed(long revision, string kind);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Error, Message = "Pushing revision {Revision} to the fleet failed")]
    private partial void LogPushFailed(Exception ex, long revision);
}

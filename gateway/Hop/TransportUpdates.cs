using MeshPortal.Gateway.State;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// Takes the portal's <see cref="FleetProtocol.ApplyTransport"/>: a well-formed message that changes the
/// mode or the peers has the served snapshot translated again, off SignalR's receive loop.
/// </summary>
internal sealed class TransportUpdates(PeerDirectory peers, ConfigApplier applier, AppliedConfig applied, ILogger<TransportUpdates> logger)
{
    public void Take(TransportSettings? settings)
    {
        if (TransportLimits.Problem(settings) is { } problem)
        {
            Log.TransportRefused(logger, problem);
            return;
        }

        if (!peers.Set(settings!))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await applier.RetranslateAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                Log.ApplyFailed(logger, applied.Current?.Snapshot.Revision ?? 0, ex);
            }
        });
    }
}

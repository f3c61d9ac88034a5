using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// Takes the portal's <see cref="FleetProtocol.ApplyTransport"/>: a well-formed message that changes the
/// mode or the peers has the served snapshot translated again, off SignalR's receive loop, and is kept in
/// the state directory so that a gateway restarted while the portal is down still knows its peers.
/// </summary>
internal sealed class TransportUpdates(
    PeerDirectory peers, ConfigApplier applier, AppliedConfig applied, IOptions<GatewayOptions> options, ILogger<TransportUpdates> logger)
{
    public const string FileName = "transport.json";

    private readonly string _path = Path.Combine(options.Value.StateDirectory, FileName);

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
                StateFile.Write(_path, settings!);
            }
            catch (Exception ex)
            {
                Log.ApplyFailed(logger, applied.Current?.Snapshot.Revision ?? 0, ex);
            }
        });
    }

    /// <summary>Before the last-known-good config is served: the mode and peers the portal last said, if kept and well-formed.</summary>
    public void LoadSaved()
    {
        try
        {
            var saved = StateFile.Read<TransportSettings>(_path);
            if (saved is null)
            {
                return;
            }

            if (TransportLimits.Problem(saved) is { } problem)
            {
                Log.TransportRefused(logger, $"{_path}: {problem}");
                return;
            }

            peers.Set(saved);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Log.TransportRefused(logger, $"{_path}: {ex.Message}");
        }
    }
}

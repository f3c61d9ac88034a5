using MeshPortal.Portal.Auth;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Re-checks, with one query every <see cref="FleetOptions.TokenRecheckInterval"/>, that the tokens
/// of this replica's live connections still stand, and ends the connections of revoked ones. The
/// revoke endpoint ends local connections at once; this covers revocations on other replicas.
/// </summary>
public sealed partial class TokenRevocationWatcher(
    FleetConnections connections, AccountStore accounts, TimeProvider time, IOptions<FleetOptions> options,
    ILogger<TokenRevocationWatcher> logger) : BackgroundService
{
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TokenRecheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        var inUse = connections.TokenIds();
        if (inUse.Count == 0)
        {
            return;
        }

        try
        {
            var active = await accounts.ActiveGatewayTokenIdsAsync(inUse, ct);
            foreach (var revoked in inUse.Where(id => !active.Contains(id)))
            {
                LogRevoked(revoked, connections.Revoke(revoked));
            }

            _failing = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is away: connections keep running on the last check; the next tick retries.
            // Logged once per outage, not twice a second.
            if (!_failing)
            {
                LogCheckFailed(ex.Message);
            }

            _failing = true;
        }
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning, Message = "Gateway token {TokenId} was revoked; closed its {Count} connection(s)")]
    private partial void LogRevoked(string tokenId, int count);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Warning, Message = "Checking gateway tokens for revocation failed: {Error}")]
    private partial void LogCheckFailed(string error);
}

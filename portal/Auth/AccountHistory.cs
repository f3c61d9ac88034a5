using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Appends account and gateway-token events to the mesh log, so History shows who changed whose
/// access and why. Called after the change is stored; the events carry ids, never secrets. Like a
/// config change, it answers once this replica has caught up, so the caller reads its own write.
/// </summary>
public sealed class AccountHistory(EventStore events, AccountStore accounts, MeshStateCache cache)
{
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromSeconds(10);

    public Task RecordAsync(string user, AccountEvent e, EventMetadata metadata, CancellationToken ct) =>
        AppendAsync(AccountEvents.AccountStream(user), e, metadata, ct);

    /// <summary>For start-up, before the log tailer runs: nothing could catch up yet, and nobody reads.</summary>
    public Task RecordAtStartAsync(string user, AccountEvent e, EventMetadata metadata, CancellationToken ct) =>
        events.AppendAsync(AccountEvents.AccountStream(user), ExpectedVersion.Any, [e], metadata, ct);

    public Task GatewayTokenMintedAsync(GatewayTokenInfo token, EventMetadata metadata, CancellationToken ct) =>
        AppendAsync(AccountEvents.GatewayTokenStream(token.Node), new GatewayTokenMinted(token.Node, token.Id), metadata, ct);

    /// <summary>Records the revocation of token <paramref name="tokenId"/> (its node is looked up).</summary>
    public async Task GatewayTokenRevokedAsync(string tokenId, EventMetadata metadata, CancellationToken ct)
    {
        if (await accounts.GatewayTokenNodeAsync(tokenId, ct) is { } node)
        {
            await AppendAsync(AccountEvents.GatewayTokenStream(node), new GatewayTokenRevoked(node, tokenId), metadata, ct);
        }
    }

    private async Task AppendAsync(string stream, AccountEvent e, EventMetadata metadata, CancellationToken ct)
    {
        var appended = await events.AppendAsync(stream, ExpectedVersion.Any, [e], metadata, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProjectionWait);
        await cache.WaitForRevisionAsync(appended.Position, timeout.Token);
    }
}

using MeshPortal.Portal.Store;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Appends account and gateway-token events to the mesh log, so History shows who changed whose
/// access and why. Called after the change is stored; the events carry ids, never secrets. They do
/// not advance the mesh revision, so there is no projection to wait for: History reads the log.
/// </summary>
public sealed class AccountHistory(EventStore events, AccountStore accounts)
{
    public Task RecordAsync(string user, AccountEvent e, EventMetadata metadata, CancellationToken ct) =>
        AppendAsync(AccountEvents.AccountStream(user), e, metadata, ct);

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

    public Task JoinTokenMintedAsync(JoinTokenInfo token, EventMetadata metadata, CancellationToken ct) =>
        AppendAsync(AccountEvents.JoinTokenStream(token.Id), new JoinTokenMinted(token.Id, token.ExpiresAt, token.MaxUses), metadata, ct);

    public Task JoinTokenRevokedAsync(string tokenId, EventMetadata metadata, CancellationToken ct) =>
        AppendAsync(AccountEvents.JoinTokenStream(tokenId), new JoinTokenRevoked(tokenId), metadata, ct);

    /// <summary>The enrollment on the node's token stream, then the revocation of each token it replaced.</summary>
    public async Task NodeEnrolledAsync(Enrollment enrollment, string joinTokenId, EventMetadata metadata, CancellationToken ct)
    {
        var node = enrollment.Info.Node;
        await AppendAsync(AccountEvents.GatewayTokenStream(node), new NodeEnrolled(node, enrollment.Info.Id, joinTokenId), metadata, ct);
        foreach (var replaced in enrollment.Replaced)
        {
            await AppendAsync(AccountEvents.GatewayTokenStream(node), new GatewayTokenRevoked(node, replaced), metadata, ct);
        }
    }

    private Task AppendAsync(string stream, AccountEvent e, EventMetadata metadata, CancellationToken ct) =>
        events.AppendAsync(stream, ExpectedVersion.Any, [e], metadata, ct);
}

using MeshPortal.Portal.Store;
using Npgsql;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Appends account and gateway-token events to the mesh log, so History shows who changed whose
/// access and why. Called after the change is stored; the events carry ids, never secrets.
/// </summary>
public sealed class AccountHistory(EventStore events, NpgsqlDataSource dataSource)
{
    public Task RecordAsync(string user, AccountEvent e, EventMetadata metadata, CancellationToken ct) =>
        events.AppendAsync(AccountEvents.AccountStream(user), ExpectedVersion.Any, [e], metadata, ct);

    public Task GatewayTokenMintedAsync(GatewayTokenInfo token, EventMetadata metadata, CancellationToken ct) =>
        events.AppendAsync(AccountEvents.GatewayTokenStream(token.Node), ExpectedVersion.Any, [new GatewayTokenMinted(token.Node, token.Id)], metadata, ct);

    /// <summary>Records the revocation of token <paramref name="tokenId"/> (its node is looked up).</summary>
    public async Task GatewayTokenRevokedAsync(string tokenId, EventMetadata metadata, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT node FROM mesh_gateway_tokens WHERE id = $1");
        cmd.Parameters.AddWithValue(tokenId);
        if (await cmd.ExecuteScalarAsync(ct) is string node)
        {
            await events.AppendAsync(AccountEvents.GatewayTokenStream(node), ExpectedVersion.Any, [new GatewayTokenRevoked(node, tokenId)], metadata, ct);
        }
    }
}

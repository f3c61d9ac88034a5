using Marten;

namespace MeshPortal.Portal.Auth;

/// <summary>A join token as listed: never the token, nor its hash.</summary>
public sealed record JoinTokenInfo(
    string Id, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, int? MaxUses, int Uses, DateTimeOffset? RevokedAt);

/// <summary>The join token's id when it may enroll now; else why not, and whether the token exists at all.</summary>
public sealed record JoinTokenCheck(string? Id, string? Refusal, bool Known);

/// <summary>A node's new token from an enrollment, and the ids of the node's tokens it replaced.</summary>
public sealed record Enrollment(GatewayTokenInfo Info, string Token, IReadOnlyList<string> Replaced);

/// <summary>Cluster join tokens and the enrollment they allow.</summary>
public sealed partial class AccountStore
{
    public async Task<(JoinTokenInfo Info, string Token)> MintJoinTokenAsync(
        string createdBy, DateTimeOffset? expiresAt, int? maxUses, CancellationToken ct)
    {
        var token = Secrets.NewToken("mjt_");
        var doc = new JoinTokenDoc
        {
            Id = Secrets.NewId(), TokenHash = Secrets.HashKey(token), CreatedBy = createdBy, CreatedAt = time.GetUtcNow(),
            ExpiresAt = expiresAt, MaxUses = maxUses,
        };
        await using var session = store.LightweightSession();
        session.Insert(doc);
        await session.SaveChangesAsync(ct);
        return (Info(doc), token);
    }

    /// <summary>False when no join token in force has that id; of two concurrent revocations exactly one answers true.</summary>
    public async Task<bool> RevokeJoinTokenAsync(string id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var token = await session.LoadAsync<JoinTokenDoc>(id, ct);
        if (token is not { RevokedAt: null })
        {
            return false;
        }

        session.Update(token with { RevokedAt = time.GetUtcNow() });
        return await SavedFirstAsync(session, ct);
    }

    public async Task<IReadOnlyList<JoinTokenInfo>> ListJoinTokensAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var tokens = await session.Query<JoinTokenDoc>().OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ct);
        return tokens.Select(Info).ToList();
    }

    /// <summary>Whether the join token may enroll a node now (it is not consumed here).</summary>
    public async Task<JoinTokenCheck> CheckJoinTokenAsync(string token, CancellationToken ct)
    {
        var hash = Secrets.HashKey(token);
        await using var session = store.QuerySession();
        var found = await session.Query<JoinTokenDoc>().Where(t => t.TokenHash == hash).SingleOrDefaultAsync(ct);
        return found is null
            ? new JoinTokenCheck(null, "unknown join token", Known: false)
            : Unusable(found) is { } refusal ? new JoinTokenCheck(null, refusal, Known: true) : new JoinTokenCheck(found.Id, null, Known: true);
    }

    /// <summary>
    /// Uses one enrollment of join token <paramref name="joinTokenId"/> and mints <paramref name="node"/>'s
    /// token, revoking the node's tokens still in force, all in one transaction: a node holds one
    /// credential, and a join token's last use cannot be spent twice. Null with a reason when the
    /// join token can no longer enroll.
    /// </summary>
    public async Task<(Enrollment? Done, string? Refusal)> EnrollAsync(string joinTokenId, string node, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var join = await session.LoadAsync<JoinTokenDoc>(joinTokenId, ct);
            if (join is null)
            {
                return (null, "unknown join token");
            }

            if (Unusable(join) is { } refusal)
            {
                return (null, refusal);
            }

            var now = time.GetUtcNow();
            // Node is not a duplicated column (adding one to a table in use needs a backfill), so the
            // node is matched here: tokens in force are about one per node, and enrollments are rare.
            var inForce = await session.Query<GatewayTokenDoc>().Where(t => t.RevokedAt == null).ToListAsync(ct);
            var live = inForce.Where(t => t.Node == node).ToList();
            foreach (var old in live)
            {
                session.Update(old with { RevokedAt = now });
            }

            var token = Secrets.NewToken("mgt_");
            var info = new GatewayTokenInfo(Secrets.NewId(), node, $"join-token:{joinTokenId}", now, null);
            session.Insert(new GatewayTokenDoc
            {
                Id = info.Id, Node = node, TokenHash = Secrets.HashKey(token), CreatedBy = info.CreatedBy, CreatedAt = now,
            });
            session.Update(join with { Uses = join.Uses + 1 });
            if (await SavedFirstAsync(session, ct))
            {
                return (new Enrollment(info, token, [.. live.Select(t => t.Id)]), null);
            }

            if (attempt == AdminChangeAttempts)
            {
                throw new InvalidOperationException($"Join token {joinTokenId} kept changing under {AdminChangeAttempts} attempts to enroll '{node}'.");
            }
        }
    }

    private string? Unusable(JoinTokenDoc token) => token switch
    {
        { RevokedAt: { } revoked } => $"join token {token.Id} was revoked at {revoked:u}",
        { ExpiresAt: { } expires } when expires <= time.GetUtcNow() => $"join token {token.Id} expired at {expires:u}",
        { MaxUses: { } max } when token.Uses >= max => $"join token {token.Id} has been used {token.Uses} of {max} times",
        _ => null,
    };

    private static JoinTokenInfo Info(JoinTokenDoc t) => new(t.Id, t.CreatedBy, t.CreatedAt, t.ExpiresAt, t.MaxUses, t.Uses, t.RevokedAt);
}

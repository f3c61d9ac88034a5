using MeshPortal.Portal.Auth;

namespace MeshPortal.UnitTests.Portal.Auth;

/// <summary>Join tokens and enrollment against real PostgreSQL; a database of their own, since they move its clock.</summary>
public sealed class JoinTokenStoreTests(AccountDatabase db) : IClassFixture<AccountDatabase>
{
    private AccountStore Accounts => db.Accounts;

    private static string Node() => $"n-{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task EnrollAsync_MaxUsesOne_SecondRefusedAndOneUseCounted()
    {
        var (info, token) = await Accounts.MintJoinTokenAsync("admin", null, 1, default);
        var check = await Accounts.CheckJoinTokenAsync(token, default);

        var (first, _) = await Accounts.EnrollAsync(check.Id!, Node(), default);
        var (second, refusal) = await Accounts.EnrollAsync(check.Id!, Node(), default);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal($"join token {info.Id} has been used 1 of 1 times", refusal);
        Assert.Equal(1, (await Accounts.ListJoinTokensAsync(default)).Single(t => t.Id == info.Id).Uses);
        Assert.Equal(new JoinTokenCheck(null, refusal, Known: true), await Accounts.CheckJoinTokenAsync(token, default));
    }

    [Fact]
    public async Task EnrollAsync_ConcurrentEnrollmentsOnTheLastUse_ExactlyOneGetsAToken()
    {
        var (info, _) = await Accounts.MintJoinTokenAsync("admin", null, 1, default);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Accounts.EnrollAsync(info.Id, Node(), default)));

        Assert.Single(results, r => r.Done is not null);
        Assert.Equal(1, (await Accounts.ListJoinTokensAsync(default)).Single(t => t.Id == info.Id).Uses);
    }

    [Fact]
    public async Task EnrollAsync_NodeWithLiveToken_OldRevokedNewInForce()
    {
        var node = Node();
        var (old, oldToken) = await Accounts.MintGatewayTokenAsync(node, "admin", default);
        var (join, _) = await Accounts.MintJoinTokenAsync("admin", null, null, default);

        var (done, _) = await Accounts.EnrollAsync(join.Id, node, default);

        Assert.Equal([old.Id], done!.Replaced);
        Assert.Equal($"join-token:{join.Id}", done.Info.CreatedBy);
        Assert.Null((await Accounts.CheckGatewayTokenAsync(oldToken, default)).Node);
        Assert.Equal(node, (await Accounts.CheckGatewayTokenAsync(done.Token, default)).Node);
    }

    [Fact]
    public async Task CheckJoinTokenAsync_PastItsExpiry_KnownButRefused()
    {
        var (info, token) = await Accounts.MintJoinTokenAsync("admin", db.Time.GetUtcNow().AddMinutes(10), null, default);
        Assert.Equal(info.Id, (await Accounts.CheckJoinTokenAsync(token, default)).Id);

        db.Time.Advance(TimeSpan.FromMinutes(10));

        var check = await Accounts.CheckJoinTokenAsync(token, default);
        Assert.True(check.Known);
        Assert.Null(check.Id);
        Assert.StartsWith($"join token {info.Id} expired at", check.Refusal);
        Assert.Null((await Accounts.EnrollAsync(info.Id, Node(), default)).Done);
    }

    [Fact]
    public async Task Tokens_JoinAndNodeTokens_NeverStandInForEachOther()
    {
        var (join, joinToken) = await Accounts.MintJoinTokenAsync("admin", null, null, default);
        var (node, nodeToken) = await Accounts.MintGatewayTokenAsync(Node(), "admin", default);

        Assert.Equal("unknown token", (await Accounts.CheckGatewayTokenAsync(joinToken, default)).Refusal);
        Assert.False((await Accounts.CheckJoinTokenAsync(nodeToken, default)).Known);
        Assert.False(await Accounts.RevokeGatewayTokenAsync(join.Id, default));
        Assert.False(await Accounts.RevokeJoinTokenAsync(node.Id, default));
        Assert.True(await Accounts.RevokeJoinTokenAsync(join.Id, default));
        Assert.StartsWith($"join token {join.Id} was revoked", (await Accounts.CheckJoinTokenAsync(joinToken, default)).Refusal);
    }
}

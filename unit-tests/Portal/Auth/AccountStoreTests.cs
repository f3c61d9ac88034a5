using MeshPortal.Portal.Auth;

namespace MeshPortal.UnitTests.Portal.Auth;

/// <summary>The document-store semantics the account code relies on, against real PostgreSQL.</summary>
public sealed class AccountStoreTests(AccountDatabase db) : IClassFixture<AccountDatabase>
{
    private AccountStore Accounts => db.Accounts;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task CreateUserAsync_NameTaken_ReturnsFalseAndKeepsTheFirst()
    {
        var name = Unique("u");

        Assert.True(await Accounts.CreateUserAsync(name, "first password", Roles.Viewer, default));
        Assert.False(await Accounts.CreateUserAsync(name, "second password", Roles.Admin, default));

        Assert.Equal(new UserAccount(name, Roles.Viewer), await Accounts.VerifyPasswordAsync(name, "first password", default));
        Assert.Null(await Accounts.VerifyPasswordAsync(name, "second password", default));
    }

    [Fact]
    public async Task Store_SameKeyHashTwice_RefusedByUniqueIndex()
    {
        var hash = Secrets.HashKey(Unique("k"));
        var now = db.Time.GetUtcNow();
        await using (var session = db.Store.LightweightSession())
        {
            session.Insert(new ApiKeyDoc { Id = Unique("a"), KeyHash = hash, UserName = "x", CreatedAt = now });
            session.Insert(new GatewayTokenDoc { Id = Unique("g"), Node = "n1", TokenHash = hash, CreatedBy = "x", CreatedAt = now });
            await session.SaveChangesAsync();
        }

        await using var second = db.Store.LightweightSession();
        second.Insert(new ApiKeyDoc { Id = Unique("a"), KeyHash = hash, UserName = "y", CreatedAt = now });
        await Assert.ThrowsAnyAsync<Exception>(() => second.SaveChangesAsync());

        await using var third = db.Store.LightweightSession();
        third.Insert(new GatewayTokenDoc { Id = Unique("g"), Node = "n2", TokenHash = hash, CreatedBy = "y", CreatedAt = now });
        await Assert.ThrowsAnyAsync<Exception>(() => third.SaveChangesAsync());
    }

    [Fact]
    public async Task FindByApiKeyAsync_ActiveThenRevoked_UserThenNull()
    {
        var name = Unique("u");
        await Accounts.CreateUserAsync(name, "some password", Roles.Operator, default);
        var (id, key) = await Accounts.CreateApiKeyAsync(name, default);

        Assert.Equal(new UserAccount(name, Roles.Operator), await Accounts.FindByApiKeyAsync(key, default));
        Assert.True(await Accounts.RevokeApiKeyAsync(name, id, default));
        Assert.False(await Accounts.RevokeApiKeyAsync(name, id, default));

        Assert.Null(await Accounts.FindByApiKeyAsync(key, default));
        Assert.Equal(db.Time.GetUtcNow(), Assert.Single(await Accounts.ListApiKeysAsync(name, default)).RevokedAt);
    }

    [Fact]
    public async Task ActiveGatewayTokenIdsAsync_MixedIds_OnlyTokensInForce()
    {
        var (a, _) = await Accounts.MintGatewayTokenAsync("n1", "admin", default);
        var (b, tokenB) = await Accounts.MintGatewayTokenAsync("n2", "admin", default);
        Assert.True(await Accounts.RevokeGatewayTokenAsync(b.Id, default));

        var active = await Accounts.ActiveGatewayTokenIdsAsync([a.Id, b.Id, "no-such-id"], default);

        Assert.Equal([a.Id], active);
        var check = await Accounts.CheckGatewayTokenAsync(tokenB, default);
        Assert.Null(check.Id);
        Assert.Contains("token for node 'n2' was revoked at", check.Refusal, StringComparison.Ordinal);
        Assert.Equal("unknown token", (await Accounts.CheckGatewayTokenAsync("mgt_nothing", default)).Refusal);
    }

    [Fact]
    public async Task RevokeGatewayTokenAsync_TwoAtOnce_ExactlyOneRevokes()
    {
        for (var round = 0; round < 10; round++)
        {
            var (info, _) = await Accounts.MintGatewayTokenAsync("n1", "admin", default);

            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Accounts.RevokeGatewayTokenAsync(info.Id, default))));

            Assert.Single(results, r => r);
        }
    }

    [Fact]
    public async Task SetRoleAsync_LastTwoAdminsDemotedAtOnce_ExactlyOneSucceeds()
    {
        var empty = new AccountDatabase();
        await empty.InitializeAsync();
        try
        {
            string? survivor = null;
            for (var round = 0; round < 10; round++)
            {
                var (a, b) = (Unique("a"), Unique("b"));
                await empty.Accounts.CreateUserAsync(a, "some password", Roles.Admin, default);
                await empty.Accounts.CreateUserAsync(b, "some password", Roles.Admin, default);
                if (survivor is not null)
                {
                    // The last round's admin steps down, so exactly a and b are admins.
                    Assert.Equal(AdminChange.Done, await empty.Accounts.SetRoleAsync(survivor, Roles.Viewer, default));
                }

                var other = new AccountStore(empty.Store, empty.Time);

                var results = await Task.WhenAll(
                    Task.Run(() => empty.Accounts.SetRoleAsync(a, Roles.Viewer, default)),
                    Task.Run(() => other.DeleteUserAsync(b, default)));

                Assert.Single(results, r => r == AdminChange.Done);
                Assert.Single(results, r => r == AdminChange.LastAdmin);
                survivor = Assert.Single(await empty.Accounts.ListUsersAsync(default), u => u.Role == Roles.Admin).Name;
            }
        }
        finally
        {
            await empty.DisposeAsync();
        }
    }

    [Fact]
    public async Task DeleteUserAsync_UserWithKeyAndSession_AllGone()
    {
        var name = Unique("u");
        await Accounts.CreateUserAsync(name, "some password", Roles.Viewer, default);
        var (_, key) = await Accounts.CreateApiKeyAsync(name, default);
        var sessions = new SessionStore(db.Store, db.Time, Microsoft.Extensions.Options.Options.Create(new SecurityOptions()));
        var sessionId = await sessions.CreateAsync(name, default);

        Assert.Equal(AdminChange.Done, await Accounts.DeleteUserAsync(name, default));

        Assert.Null(await Accounts.FindUserAsync(name, default));
        Assert.Null(await Accounts.FindByApiKeyAsync(key, default));
        Assert.Empty(await Accounts.ListApiKeysAsync(name, default));
        Assert.Null(await sessions.ValidateAsync(sessionId, default));
        Assert.Equal(AdminChange.NotFound, await Accounts.DeleteUserAsync(name, default));
    }
}

using MeshPortal.Portal.Auth;
using Microsoft.Extensions.Options;

namespace MeshPortal.UnitTests.Portal.Auth;

public sealed class SessionStoreTests(AccountDatabase db) : IClassFixture<AccountDatabase>
{
    private static readonly SecurityOptions Security = new();

    private SessionStore NewSessions() => new(db.Store, db.Time, Options.Create(Security));

    private async Task<string> NewUserAsync(string role)
    {
        var name = $"s-{Guid.NewGuid():N}"[..16];
        await db.Accounts.CreateUserAsync(name, "some password", role, default);
        return name;
    }

    [Fact]
    public async Task ValidateAsync_LiveThenExpired_UserThenNull()
    {
        var name = await NewUserAsync(Roles.Operator);
        var sessions = NewSessions();
        var id = await sessions.CreateAsync(name, default);

        Assert.Equal(new SessionUser(name, Roles.Operator), await sessions.ValidateAsync(id, default));

        db.Time.Advance(Security.SessionLifetime + TimeSpan.FromSeconds(1));
        Assert.Null(await sessions.ValidateAsync(id, default));
        Assert.Null(await NewSessions().ValidateAsync("never-issued", default));
    }

    [Fact]
    public async Task EndAllAsync_TwoSessionsOnTwoReplicas_BothEndAfterTheCache()
    {
        var name = await NewUserAsync(Roles.Viewer);
        var (here, there) = (NewSessions(), NewSessions());
        var first = await here.CreateAsync(name, default);
        var second = await there.CreateAsync(name, default);
        Assert.NotNull(await there.ValidateAsync(first, default));

        await here.EndAllAsync(name, default);

        Assert.Null(await here.ValidateAsync(first, default));
        db.Time.Advance(SessionStore.CacheFor);
        Assert.Null(await there.ValidateAsync(first, default));
        Assert.Null(await there.ValidateAsync(second, default));
    }

    [Fact]
    public async Task ValidateAsync_RoleChanged_CurrentRole()
    {
        var name = await NewUserAsync(Roles.Admin);
        await NewUserAsync(Roles.Admin);
        var sessions = NewSessions();
        var id = await sessions.CreateAsync(name, default);

        Assert.Equal(AdminChange.Done, await db.Accounts.SetRoleAsync(name, Roles.Viewer, default));
        db.Time.Advance(SessionStore.CacheFor);

        Assert.Equal(new SessionUser(name, Roles.Viewer), await sessions.ValidateAsync(id, default));
    }
}

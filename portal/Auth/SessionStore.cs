using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

public sealed record SessionUser(string Name, string Role);

/// <summary>
/// Server-side browser sessions: the cookie carries only a random session id, and a session is
/// valid while its document exists. Checks are cached for at most <see cref="CacheFor"/>, so an
/// ended session stops working on every replica within that (at once on the replica that ended it).
/// </summary>
public sealed class SessionStore(IDocumentStore store, TimeProvider time, IOptions<SecurityOptions> options)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (SessionUser? User, DateTimeOffset CheckedAt)> _cache = new();

    public async Task<string> CreateAsync(string userName, CancellationToken ct)
    {
        var id = Secrets.NewToken("");
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.DeleteWhere<SessionDoc>(s => s.ExpiresAt < now);
        session.Insert(new SessionDoc { Id = Secrets.HashKey(id), UserName = userName, CreatedAt = now, ExpiresAt = now + options.Value.SessionLifetime });
        await session.SaveChangesAsync(ct);
        return id;
    }

    /// <summary>The session's user with their current role, or null when it ended or expired.</summary>
    public async Task<SessionUser?> ValidateAsync(string sessionId, CancellationToken ct)
    {
        var hash = Secrets.HashKey(sessionId);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && now - cached.CheckedAt < CacheFor)
        {
            return cached.User;
        }

        await using var session = store.QuerySession();
        UserDoc? account = null;
        var found = await session.Query<SessionDoc>()
            .Include<UserDoc>(s => s.UserName, u => account = u)
            .Where(s => s.Id == hash && s.ExpiresAt > now)
            .SingleOrDefaultAsync(ct);
        var user = found is not null && account is not null ? new SessionUser(account.Id, account.Role) : null;
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[hash] = (user, now);
        return user;
    }

    public async Task EndAsync(string sessionId, CancellationToken ct)
    {
        var hash = Secrets.HashKey(sessionId);
        await using (var session = store.LightweightSession())
        {
            session.Delete<SessionDoc>(hash);
            await session.SaveChangesAsync(ct);
        }

        _cache.TryRemove(hash, out _);
    }

    /// <summary>Ends every session of <paramref name="userName"/> (role or password changed, user deleted).</summary>
    public async Task EndAllAsync(string userName, CancellationToken ct)
    {
        await using (var session = store.LightweightSession())
        {
            session.DeleteWhere<SessionDoc>(s => s.UserName == userName);
            await session.SaveChangesAsync(ct);
        }

        // Cache keys are hashes, so drop every cached answer for this user.
        foreach (var (key, entry) in _cache)
        {
            if (entry.User?.Name == userName)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }
}

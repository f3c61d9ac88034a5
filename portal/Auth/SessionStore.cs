using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MeshPortal.Portal.Auth;

public sealed record SessionUser(string Name, string Role);

/// <summary>
/// Server-side browser sessions: the cookie carries only a random session id, and a session is
/// valid while its row exists. Checks are cached for at most <see cref="CacheFor"/>, so an ended
/// session stops working on every replica within that (at once on the replica that ended it).
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource, TimeProvider time, IOptions<SecurityOptions> options)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (SessionUser? User, DateTimeOffset CheckedAt)> _cache = new();

    public async Task<string> CreateAsync(string userName, CancellationToken ct)
    {
        var id = Secrets.NewToken("");
        var now = time.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("DELETE FROM mesh_sessions WHERE expires_at < $1", now));
        batch.BatchCommands.Add(Command(
            "INSERT INTO mesh_sessions (id_hash, user_name, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            Secrets.HashKey(id), userName, now, now + options.Value.SessionLifetime));
        await batch.ExecuteNonQueryAsync(ct);
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

        await using var cmd = dataSource.CreateCommand(
            "SELECT u.name, u.role FROM mesh_sessions s JOIN mesh_users u ON u.name = s.user_name WHERE s.id_hash = $1 AND s.expires_at > $2");
        cmd.Parameters.AddWithValue(hash);
        cmd.Parameters.AddWithValue(now);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var user = await reader.ReadAsync(ct) ? new SessionUser(reader.GetString(0), reader.GetString(1)) : null;
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
        await using (var cmd = dataSource.CreateCommand("DELETE FROM mesh_sessions WHERE id_hash = $1"))
        {
            cmd.Parameters.AddWithValue(hash);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        _cache.TryRemove(hash, out _);
    }

    /// <summary>Ends every session of <paramref name="userName"/> (role or password changed, user deleted).</summary>
    public async Task EndAllAsync(string userName, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM mesh_sessions WHERE user_name = $1");
        cmd.Parameters.AddWithValue(userName);
        await cmd.ExecuteNonQueryAsync(ct);

        // Cache keys are hashes, so drop every cached answer for this user.
        foreach (var (key, entry) in _cache)
        {
            if (entry.User?.Name == userName)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] args)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return cmd;
    }
}

using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Counts failed sign-ins per user name and per client address. Past the free failures, each
/// further one locks that key for twice as long as the last (up to a cap); while locked, sign-in
/// is refused before any password is checked. Per replica, in memory: a replica that restarts
/// forgets, which costs an attacker a restart they cannot cause.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, IOptions<SecurityOptions> options)
{
    private const int MaxKeys = 100_000;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private LoginThrottleOptions Options => options.Value.LoginThrottle;

    /// <summary>How long until this user name and address may try again; zero when they may now.</summary>
    public TimeSpan RetryAfter(string userName, string address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return Max(Remaining(UserKey(userName), now), Remaining(AddressKey(address), now));
        }
    }

    /// <summary>Records a failure; returns how long both keys are now locked (zero when not).</summary>
    public TimeSpan Failed(string userName, string address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_entries.Count >= MaxKeys)
            {
                Prune(now);
            }

            return Max(Fail(UserKey(userName), Options.FreeFailuresPerUser, now), Fail(AddressKey(address), Options.FreeFailuresPerAddress, now));
        }
    }

    /// <summary>A successful sign-in clears the user name's failures (not the address's: one good account must not unlock guessing at others).</summary>
    public void Succeeded(string userName)
    {
        lock (_gate)
        {
            _entries.Remove(UserKey(userName));
        }
    }

    private TimeSpan Fail(string key, int free, DateTimeOffset now)
    {
        var entry = _entries.GetValueOrDefault(key);
        var failures = entry is not null && now - entry.LastFailure < Options.ForgetAfter ? entry.Failures + 1 : 1;
        var lockout = TimeSpan.Zero;
        if (failures >= free)
        {
            var doublings = Math.Min(failures - free, 30);
            lockout = TimeSpan.FromTicks(Math.Min(Options.FirstLockout.Ticks * (1L << doublings), Options.MaxLockout.Ticks));
        }

        _entries[key] = new Entry(failures, now, now + lockout);
        return lockout;
    }

    private TimeSpan Remaining(string key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var entry) && entry.LockedUntil > now ? entry.LockedUntil - now : TimeSpan.Zero;

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries.ToList())
        {
            if (entry.LockedUntil <= now && now - entry.LastFailure >= Options.ForgetAfter)
            {
                _entries.Remove(key);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string UserKey(string userName) => "user:" + userName.Trim().ToLowerInvariant();

    private static string AddressKey(string address) => "addr:" + address;

    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);
}

namespace MeshPortal.Portal.Auth;

/// <summary>Accounts, sessions and secrets: the <c>Portal</c> section, beside <c>PortalOptions</c>.</summary>
public sealed record SecurityOptions
{
    /// <summary>A file holding the first admin's password (a mounted Secret); env MESH_ADMIN_PASSWORD works too.</summary>
    public string? AdminPasswordFile { get; init; }

    /// <summary>A browser session ends this long after sign-in, or at sign-out or revocation.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    public LoginThrottleOptions LoginThrottle { get; init; } = new();

    public KeyProtectionOptions DataProtection { get; init; } = new();
}

/// <summary>
/// Failed sign-ins are free up to a count per user name and per client address; each failure past
/// it locks that name or address for twice as long as the one before.
/// </summary>
public sealed record LoginThrottleOptions
{
    public int FreeFailuresPerUser { get; init; } = 5;

    /// <summary>Higher than per user: many people may sign in from behind one address.</summary>
    public int FreeFailuresPerAddress { get; init; } = 20;

    public TimeSpan FirstLockout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten after this long without another.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromMinutes(15);
}

/// <summary>The AES-256 key that encrypts the data-protection keys (which sign cookies) at rest.</summary>
public sealed record KeyProtectionOptions
{
    /// <summary>A file holding the key as base64 (32 bytes), e.g. from <c>head -c 32 /dev/urandom | base64</c>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The key itself as base64, for environments that hand secrets over as variables.</summary>
    public string? Key { get; init; }
}

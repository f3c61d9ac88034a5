namespace MeshPortal.Portal.Security.Ca;

public enum CertificateState
{
    None,
    Valid,
    Expiring,
    Expired,
}

/// <summary>How a gateway's certificate stands, for the Gateways page.</summary>
public static class CertificateHealth
{
    /// <summary>
    /// Expiring in the last fifth of the lifetime: a gateway renews at two thirds, so one still there
    /// has failed at least one renewal.
    /// </summary>
    public static CertificateState Of(DateTimeOffset? notAfter, TimeSpan lifetime, DateTimeOffset now) => notAfter switch
    {
        null => CertificateState.None,
        { } at when at <= now => CertificateState.Expired,
        { } at when at - now < lifetime / 5 => CertificateState.Expiring,
        _ => CertificateState.Valid,
    };
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Gateway.Identity;

/// <summary>One certificate the portal issued to this node, with its key, ready for TLS.</summary>
internal sealed record NodeIdentity
{
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Built once per certificate, so a listener's handshakes do not rebuild the chain.</summary>
    public required SslStreamCertificateContext ServerContext { get; init; }

    /// <summary>The mesh CA(s) a peer's certificate must chain to.</summary>
    public required X509Certificate2Collection TrustBundle { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>An identity for <paramref name="certificate"/> (with its key), its TLS context built once.</summary>
    public static NodeIdentity Create(X509Certificate2 certificate, X509Certificate2Collection trustBundle, DateTimeOffset issuedAt, DateTimeOffset notAfter) => new()
    {
        Certificate = certificate,
        ServerContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
        TrustBundle = trustBundle,
        IssuedAt = issuedAt,
        NotAfter = notAfter,
    };

    /// <summary>Two thirds into the lifetime, counted from receipt on this node's clock.</summary>
    public DateTimeOffset RenewAt => IssuedAt + ((NotAfter - IssuedAt) * 2 / 3);
}

/// <summary>
/// The node's current certificate. Listeners and outbound handlers read <see cref="Current"/> at
/// every handshake (Kestrel's ServerCertificateSelector or ServerOptionsSelectionCallback,
/// SocketsHttpHandler's LocalCertificateSelectionCallback), so a renewal swaps it atomically:
/// connections already open keep the certificate they shook hands with and no request is dropped.
/// Replaced certificates are not disposed: a handshake may still be using one.
/// </summary>
internal sealed class NodeCertificates
{
    private NodeIdentity? _current;

    public NodeIdentity? Current => Volatile.Read(ref _current);

    /// <summary>Raised after every swap, for anything that caches per-certificate state.</summary>
    public event Action<NodeIdentity>? Changed;

    public void Swap(NodeIdentity identity)
    {
        Volatile.Write(ref _current, identity);
        Changed?.Invoke(identity);
    }
}

/// <summary>What the admin port shows of the node's certificate.</summary>
internal sealed record NodeCertificateInfo
{
    public required string Serial { get; init; }
    public required string Subject { get; init; }
    public required DateTime NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public required DateTimeOffset RenewAt { get; init; }
    public required string CertificatePem { get; init; }
}

/// <summary>Whether a certificate chains to the mesh's trust bundle alone (the system's roots play no part).</summary>
internal static class TrustChain
{
    /// <summary>Null when <paramref name="certificate"/> chains to <paramref name="bundle"/> at <paramref name="now"/>, else why not.</summary>
    public static string? Problem(X509Certificate2 certificate, X509Certificate2Collection bundle, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(bundle);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(certificate) ? null : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
    }
}

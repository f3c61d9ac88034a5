using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Identity;

/// <summary>What is kept of the node's certificate on its own disk (the key never leaves the node).</summary>
internal sealed record SavedIdentity
{
    public required string CertificatePem { get; init; }
    public required string KeyPem { get; init; }
    public required string TrustBundlePem { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
}

/// <summary>
/// Keeps the node's certificate, key and trust bundle in the state directory (owner-only), so a gateway
/// restarted while the portal is down still takes and makes mTLS hops until its certificate expires,
/// as it still serves its last-known-good config. Anything unreadable, expired or not for this node is ignored.
/// </summary>
internal sealed class IdentityFile(string directory, string node)
{
    public const string FileName = "node-identity.json";

    public string FilePath { get; } = Path.Combine(directory, FileName);

    public void Save(NodeIdentity identity)
    {
        using var key = identity.Certificate.GetECDsaPrivateKey()
            ?? throw new CryptographicException("the node certificate carries no ECDSA private key");
        StateFile.Write(FilePath, new SavedIdentity
        {
            CertificatePem = identity.Certificate.ExportCertificatePem(),
            KeyPem = key.ExportPkcs8PrivateKeyPem(),
            TrustBundlePem = string.Concat(identity.TrustBundle.Select(c => c.ExportCertificatePem() + "\n")),
            IssuedAt = identity.IssuedAt,
            NotAfter = identity.NotAfter,
        });
    }

    /// <summary>The saved identity if it is still valid at <paramref name="now"/>, names this node and chains to its bundle; else null and why.</summary>
    public NodeIdentity? Load(DateTimeOffset now, out string? problem)
    {
        problem = null;
        if (StateFile.Read<SavedIdentity>(FilePath) is not { } saved)
        {
            return null;
        }

        var certificate = X509Certificate2.CreateFromPem(saved.CertificatePem, saved.KeyPem);
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(saved.TrustBundlePem);
        if (now >= saved.NotAfter || now.UtcDateTime >= certificate.NotAfter.ToUniversalTime())
        {
            problem = $"it expired at {saved.NotAfter:u}";
        }
        else if (!MeshIdentity.UrisOf(certificate).Any(uri => uri.EndsWith($"/node/{node}", StringComparison.Ordinal)))
        {
            problem = $"it does not name node {node}";
        }
        else if (TrustChain.Problem(certificate, bundle, now) is { } chain)
        {
            problem = $"it does not chain to its trust bundle: {chain}";
        }

        if (problem is not null)
        {
            certificate.Dispose();
            return null;
        }

        return NodeIdentity.Create(certificate, bundle, saved.IssuedAt, saved.NotAfter);
    }
}

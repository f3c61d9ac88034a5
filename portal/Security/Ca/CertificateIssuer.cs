using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Portal.Security.Ca;

/// <summary>
/// Signs a gateway's CSR into a node certificate. Only the CSR's key and subject are read: the
/// certificate's names and uses are the CA's decision (one SPIFFE URI for the token's node, client
/// and server auth), so extensions the CSR asks for, extra SANs included, are ignored.
/// </summary>
public static class CertificateIssuer
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const int MaxCsrChars = 8 * 1024;

    /// <summary>The certificate, or why the CSR was refused (a sentence for the gateway's log).</summary>
    public sealed record Outcome(X509Certificate2? Certificate, string? Problem);

    public static Outcome Issue(X509Certificate2 authority, string? csrPem, string node, string trustDomain, DateTimeOffset now, TimeSpan lifetime)
    {
        if (string.IsNullOrWhiteSpace(csrPem) || csrPem.Length > MaxCsrChars)
        {
            return Refused($"the CSR must be a PEM certificate request of at most {MaxCsrChars} characters");
        }

        CertificateRequest csr;
        try
        {
            // Loading checks the CSR's signature: whoever sent it holds the private key.
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException e)
        {
            return Refused($"the CSR is not a valid, self-signed PEM certificate request ({e.Message})");
        }

        if (KeyProblem(csr.PublicKey) is { } keyProblem)
        {
            return Refused(keyProblem);
        }

        var named = CommonName(csr.SubjectName);
        if (named != node)
        {
            return Refused($"the CSR names node '{named}', but this gateway's token is for node '{node}'");
        }

        var request = new CertificateRequest(new X500DistinguishedName($"CN={node}"), csr.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid), new Oid(ClientAuthOid)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(MeshIdentity.NodeUri(trustDomain, node));
        request.CertificateExtensions.Add(names.Build(true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));

        // Backdated a little for peers whose clocks run behind; never past the CA's own expiry.
        var notBefore = now - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 10));
        var notAfter = Min(now + lifetime, new DateTimeOffset(authority.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return new Outcome(request.Create(authority, notBefore, notAfter, serial), null);
    }

    private static string? KeyProblem(PublicKey key)
    {
        if (key.Oid.Value != EcPublicKeyOid)
        {
            return $"the CSR's key is {key.Oid.FriendlyName ?? key.Oid.Value}, but node certificates need an ECDSA P-256 key";
        }

        using var ec = key.GetECDsaPublicKey();
        var curve = ec?.ExportParameters(false).Curve.Oid;
        return curve?.Value == P256Oid || curve?.FriendlyName is "nistP256" or "ECDSA_P256"
            ? null
            : $"the CSR's key is on curve {curve?.FriendlyName ?? curve?.Value ?? "unknown"}, but node certificates need ECDSA P-256";
    }

    private static string? CommonName(X500DistinguishedName name)
    {
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.GetSingleElementType().Value == "2.5.4.3")
            {
                return rdn.GetSingleElementValue();
            }
        }

        return null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static Outcome Refused(string problem) => new(null, problem);
}

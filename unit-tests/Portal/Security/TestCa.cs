using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.UnitTests.Portal.Security;

/// <summary>A throwaway mesh CA and CSRs for the certificate tests.</summary>
internal static class TestCa
{
    public static X509Certificate2 Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test mesh CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return X509Certificate2.CreateFromPem(ca.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public static string Csr(AsymmetricAlgorithm key, string subject, Action<CertificateRequest>? extend = null)
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        extend?.Invoke(request);
        return request.CreateSigningRequestPem();
    }
}

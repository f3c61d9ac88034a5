using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.UnitTests.Portal.Security.Tls;

/// <summary>A CA and server certificates it signs, written as the PEM files of a TLS Secret in a directory of its own.</summary>
internal sealed class ServerCertificateFiles : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("meshportal-tls-unit-");

    public ServerCertificateFiles(DateTimeOffset now)
    {
        Now = now;
        Ca = Security.TestCa.Create(now);
    }

    public DateTimeOffset Now { get; }
    public X509Certificate2 Ca { get; }
    public string CertificateFile => Path.Combine(_dir.FullName, "tls.crt");
    public string KeyFile => Path.Combine(_dir.FullName, "tls.key");
    public string CaFile => Path.Combine(_dir.FullName, "ca.crt");

    /// <summary>A new certificate for 127.0.0.1 in the files; its thumbprint.</summary>
    public string Write(TimeSpan? validFor = null, bool serverAuth = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.Create(Ca, Now.AddMinutes(-5), Now + (validFor ?? TimeSpan.FromDays(1)), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
        return certificate.Thumbprint;
    }

    public void Dispose()
    {
        Ca.Dispose();
        _dir.Delete(recursive: true);
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.Fleet;
using MeshPortal.Gateway.Hosting;
using MeshPortal.UnitTests.Portal.Security.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshPortal.UnitTests.Gateway.Fleet;

public sealed class PortalTrustTests : IDisposable
{
    private readonly ServerCertificateFiles _portal = new(DateTimeOffset.UtcNow);
    private readonly ServerCertificateFiles _other = new(DateTimeOffset.UtcNow);

    public PortalTrustTests()
    {
        _portal.Write();
        _other.Write();
    }

    [Fact]
    public void Check_CertificateOfTheConfiguredCa_Trusted()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_portal.CertificateFile));

        // The system does not know the CA (chain errors): only the configured bundle counts.
        Assert.Null(Trust(_portal.CaFile).Check(certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Check_CertificateOfAnotherCa_RefusedNamingTheCaFile()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_other.CertificateFile));

        Assert.Contains($"does not chain to a CA of Gateway:PortalCaFile '{_portal.CaFile}'",
            Trust(_portal.CaFile).Check(certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Check_NameMismatch_RefusedEvenFromTheConfiguredCa()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_portal.CertificateFile));

        Assert.Contains("does not name the host", Trust(_portal.CaFile).Check(certificate, null, SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void Check_NoCaFileAndSystemRefuses_SaysToGiveTheCa()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_portal.CertificateFile));

        Assert.Contains("Gateway:PortalCaFile", Trust("").Check(certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Null(Trust("").Check(certificate, null, SslPolicyErrors.None));
    }

    [Fact]
    public void Check_CaFileReplaced_TheNewCaCounts()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_other.CertificateFile));
        var trust = Trust(_portal.CaFile);
        Assert.NotNull(trust.Check(certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));

        File.Copy(_other.CaFile, _portal.CaFile, overwrite: true);

        Assert.Null(trust.Check(certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Problem_FileWithoutCertificates_SaysSo()
    {
        File.WriteAllText(_portal.CaFile, "nothing here\n");

        Assert.Contains("holds no certificate", PortalTrust.Problem(_portal.CaFile));
        Assert.Contains("cannot be read", PortalTrust.Problem("/nope/ca.crt"));
    }

    [Fact]
    public void Validate_PortalCaFileWithPlainHttpPortal_RefusedSayingHttpsIsNeeded()
    {
        var options = new GatewayOptions
        {
            PortalUrl = "http://127.0.0.1:5000",
            PortalCaFile = _portal.CaFile,
            Token = "t0k",
            Node = "n1",
            StateDirectory = "/tmp/gw-n1",
        };

        Assert.Contains("every Gateway:PortalUrl must be https://", new GatewayOptionsSetup().Validate(null, options).FailureMessage);
        options.PortalUrl = "https://127.0.0.1:5000";
        Assert.True(new GatewayOptionsSetup().Validate(null, options).Succeeded);
    }

    private static PortalTrust Trust(string caFile) =>
        new(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { PortalCaFile = caFile }), NullLogger<PortalTrust>.Instance);

    public void Dispose()
    {
        _portal.Dispose();
        _other.Dispose();
    }
}

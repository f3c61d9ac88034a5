using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Portal.Security.Ca;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.UnitTests.Portal.Security;

public sealed class CertificateIssuerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public void Issue_GoodCsr_NamesTheNodeBySpiffeUriWithBothAuthUsesForTheLifetime()
    {
        using var ca = TestCa.Create(Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var outcome = CertificateIssuer.Issue(ca, TestCa.Csr(key, "CN=n1"), "n1", "meshportal.local", Now, Day);

        Assert.Null(outcome.Problem);
        using var certificate = outcome.Certificate!;
        Assert.Equal("CN=n1", certificate.Subject);
        Assert.Equal(ca.Subject, certificate.Issuer);
        var san = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["spiffe://meshportal.local/node/n1"], MeshIdentity.UrisOf(certificate));
        Assert.Empty(san.EnumerateDnsNames());
        var uses = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], uses);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal((Now + Day).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.True(certificate.NotBefore.ToUniversalTime() <= Now.UtcDateTime);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.True(ChainsTo(certificate, ca));
    }

    [Fact]
    public void Issue_CsrForAnotherNode_RefusedNamingBoth()
    {
        using var ca = TestCa.Create(Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var outcome = CertificateIssuer.Issue(ca, TestCa.Csr(key, "CN=n2"), "n1", "meshportal.local", Now, Day);

        Assert.Null(outcome.Certificate);
        Assert.Equal("the CSR names node 'n2', but this gateway's token is for node 'n1'", outcome.Problem);
    }

    [Fact]
    public void Issue_RsaKey_Refused()
    {
        using var ca = TestCa.Create(Now);
        using var key = RSA.Create(2048);

        var outcome = CertificateIssuer.Issue(ca, TestCa.Csr(key, "CN=n1"), "n1", "meshportal.local", Now, Day);

        Assert.Null(outcome.Certificate);
        Assert.Contains("ECDSA P-256", outcome.Problem);
    }

    [Fact]
    public void Issue_OtherCurve_Refused()
    {
        using var ca = TestCa.Create(Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var outcome = CertificateIssuer.Issue(ca, TestCa.Csr(key, "CN=n1"), "n1", "meshportal.local", Now, Day);

        Assert.Null(outcome.Certificate);
        Assert.Contains("P-256", outcome.Problem);
    }

    [Fact]
    public void Issue_CsrAskingForExtraNamesAndCaRights_GetsOnlyTheNodeUri()
    {
        using var ca = TestCa.Create(Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = TestCa.Csr(key, "CN=n1", r =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("portal.example");
            names.AddUri(new Uri("spiffe://meshportal.local/node/n2"));
            r.CertificateExtensions.Add(names.Build());
            r.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        });

        using var certificate = CertificateIssuer.Issue(ca, csr, "n1", "meshportal.local", Now, Day).Certificate!;

        var san = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["spiffe://meshportal.local/node/n1"], MeshIdentity.UrisOf(certificate));
        Assert.Empty(san.EnumerateDnsNames());
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a csr")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")]
    public void Issue_Garbage_Refused(string csr)
    {
        using var ca = TestCa.Create(Now);

        var outcome = CertificateIssuer.Issue(ca, csr, "n1", "meshportal.local", Now, Day);

        Assert.Null(outcome.Certificate);
        Assert.Contains("CSR", outcome.Problem);
    }

    [Fact]
    public void Issue_ShortLifetime_SecondsLong()
    {
        using var ca = TestCa.Create(Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var certificate = CertificateIssuer.Issue(ca, TestCa.Csr(key, "CN=n1"), "n1", "example.org", Now, TimeSpan.FromSeconds(6)).Certificate!;

        Assert.Equal(Now.AddSeconds(6).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.Equal(
            ["spiffe://example.org/node/n1"],
            MeshIdentity.UrisOf(certificate));
    }

    [Fact]
    public void Issue_TwoCertificates_DifferentSerials()
    {
        using var ca = TestCa.Create(Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = TestCa.Csr(key, "CN=n1");

        using var first = CertificateIssuer.Issue(ca, csr, "n1", "meshportal.local", Now, Day).Certificate!;
        using var second = CertificateIssuer.Issue(ca, csr, "n1", "meshportal.local", Now, Day).Certificate!;

        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime;
        return chain.Build(certificate);
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Identity;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.UnitTests.Gateway.Hop;

public sealed class PeerCertificateCheckTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly X509Certificate2 _ca = Ca("MeshPortal mesh CA");
    private readonly X509Certificate2 _otherCa = Ca("Another CA");
    private readonly NodeIdentity _own;

    public PeerCertificateCheckTests()
    {
        var certificate = Issue(_ca, MeshIdentity.DefaultTrustDomain, "n1");
        _own = new NodeIdentity
        {
            Certificate = certificate,
            ServerContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
            TrustBundle = [X509CertificateLoader.LoadCertificate(_ca.RawData)],
            IssuedAt = Now,
            NotAfter = Now.AddHours(1),
        };
    }

    [Fact]
    public void NodeOf_PeerOfTheMeshCa_NamesItsNode()
    {
        using var peer = Issue(_ca, MeshIdentity.DefaultTrustDomain, "n3");

        Assert.Equal("n3", PeerCertificateCheck.NodeOf(peer, null, _own, Now));
    }

    [Fact]
    public void NodeOf_SameNodeUriFromAnotherCa_Null()
    {
        using var forged = Issue(_otherCa, MeshIdentity.DefaultTrustDomain, "n3");

        Assert.Null(PeerCertificateCheck.NodeOf(forged, null, _own, Now));
    }

    [Fact]
    public void NodeOf_NodeOfAnotherTrustDomain_Null()
    {
        using var stranger = Issue(_ca, "other.example", "n3");

        Assert.Null(PeerCertificateCheck.NodeOf(stranger, null, _own, Now));
    }

    [Fact]
    public void NodeOf_ExpiredPeerOrNoOwnCertificate_Null()
    {
        using var peer = Issue(_ca, MeshIdentity.DefaultTrustDomain, "n3");

        Assert.Null(PeerCertificateCheck.NodeOf(peer, null, _own, Now.AddHours(2)));
        Assert.Null(PeerCertificateCheck.NodeOf(peer, null, own: null, Now));
        Assert.Null(PeerCertificateCheck.NodeOf(null, null, _own, Now));
    }

    private static X509Certificate2 Ca(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(Now.AddMinutes(-5), Now.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string trustDomain, string node)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(MeshIdentity.NodeUri(trustDomain, node));
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(ca, Now.AddMinutes(-1), Now.AddHours(1), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        _own.Certificate.Dispose();
    }
}

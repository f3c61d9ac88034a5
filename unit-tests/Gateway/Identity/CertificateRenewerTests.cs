using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.Identity;
using MeshPortal.Portal.Security.Ca;
using MeshPortal.Shared.Fleet;
using MeshPortal.UnitTests.Portal.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.Identity;

public sealed class CertificateRenewerTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(6);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly X509Certificate2 _ca;
    private readonly NodeCertificates _certificates = new();
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("meshportal-identity-").FullName;
    private readonly CertificateRenewer _renewer;
    private readonly List<string> _csrs = [];
    private int _failures;

    public CertificateRenewerTests()
    {
        _ca = TestCa.Create(_time.GetUtcNow());
        _renewer = Renewer(_certificates);
    }

    private CertificateRenewer Renewer(NodeCertificates certificates) => new(
        certificates, new IdentityFile(_stateDirectory, "n1"), Options.Create(new GatewayOptions { Node = "n1" }), _time, NullLogger<CertificateRenewer>.Instance);

    [Fact]
    public async Task Connected_AsksAtOnce_ForItsOwnNodeWithAP256Key()
    {
        _renewer.Connected(RequestAsync);
        await Until(() => _certificates.Current is not null);

        var csr = CertificateRequest.LoadSigningRequestPem(Assert.Single(_csrs), HashAlgorithmName.SHA256);
        Assert.Equal("CN=n1", csr.SubjectName.Name);
        Assert.Equal("1.2.840.10045.2.1", csr.PublicKey.Oid.Value);
        var current = _certificates.Current!;
        Assert.True(current.Certificate.HasPrivateKey);
        Assert.Equal(_time.GetUtcNow() + Lifetime, current.NotAfter);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(4), current.RenewAt);
    }

    [Fact]
    public async Task Renews_AtTwoThirdsOfTheLifetime_NotBefore()
    {
        _renewer.Connected(RequestAsync);
        await Until(() => _certificates.Current is not null);
        var first = _certificates.Current!;

        _time.Advance(TimeSpan.FromSeconds(3.9));
        await Task.Delay(50);
        Assert.Same(first, _certificates.Current);
        Assert.Single(_csrs);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        await Until(() => _certificates.Current != first);
        Assert.NotEqual(first.Certificate.SerialNumber, _certificates.Current!.Certificate.SerialNumber);
        Assert.Equal(2, _csrs.Count);
        Assert.Equal(_csrs[0], _csrs[1]);

        _time.Advance(TimeSpan.FromSeconds(4));
        await Until(() => _csrs.Count == 3);
    }

    [Fact]
    public async Task Failure_RetriedWithinTheRemainingLifetime()
    {
        _renewer.Connected(RequestAsync);
        await Until(() => _certificates.Current is not null);
        var first = _certificates.Current!;
        _failures = 1;

        _time.Advance(TimeSpan.FromSeconds(4));
        await Until(() => _csrs.Count == 2);
        Assert.Same(first, _certificates.Current);

        // A tenth of the 2 s left, at least half a second.
        _time.Advance(TimeSpan.FromSeconds(0.5));
        await Until(() => _certificates.Current != first);
        Assert.Equal(3, _csrs.Count);
    }

    [Fact]
    public async Task Disconnected_WhenDue_WaitsForTheNextConnection()
    {
        _renewer.Connected(RequestAsync);
        await Until(() => _certificates.Current is not null);
        _renewer.Disconnected();

        _time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.Single(_csrs);

        _renewer.Connected(RequestAsync);
        await Until(() => _csrs.Count == 2);
    }

    [Fact]
    public async Task CertificateForAnotherKey_NotTaken()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherCsr = TestCa.Csr(other, "CN=n1");
        _renewer.Connected((_, _) => RequestAsync(otherCsr, CancellationToken.None));
        await Until(() => _csrs.Count == 1);
        await Task.Delay(50);

        Assert.Null(_certificates.Current);
    }

    [Fact]
    public async Task LoadSaved_AfterARestart_TakesTheKeptCertificateWithItsKeyOwnerOnly()
    {
        _renewer.Connected(RequestAsync);
        await Until(() => _certificates.Current is not null);
        var issued = _certificates.Current!;

        var restarted = new NodeCertificates();
        using var renewer = Renewer(restarted);
        renewer.LoadSaved();

        var kept = Assert.IsType<NodeIdentity>(restarted.Current);
        Assert.Equal(issued.Certificate.SerialNumber, kept.Certificate.SerialNumber);
        Assert.True(kept.Certificate.HasPrivateKey);
        Assert.Equal(issued.NotAfter, kept.NotAfter);
        Assert.Single(kept.TrustBundle);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_stateDirectory, IdentityFile.FileName)));
        }
    }

    [Fact]
    public async Task LoadSaved_Expired_NotTaken()
    {
        _renewer.Connected(RequestAsync);
        await Until(() => _certificates.Current is not null);
        _renewer.Disconnected();
        _time.Advance(Lifetime);

        var restarted = new NodeCertificates();
        using var renewer = Renewer(restarted);
        renewer.LoadSaved();

        Assert.Null(restarted.Current);
    }

    [Fact]
    public async Task LoadSaved_ForAnotherNode_NotTaken()
    {
        var file = new IdentityFile(_stateDirectory, "n2");
        _renewer.Connected(RequestAsync);
        await Until(() => _certificates.Current is not null);

        Assert.Null(file.Load(_time.GetUtcNow(), out var problem));
        Assert.Equal("it does not name node n2", problem);
    }

    public void Dispose()
    {
        _renewer.Dispose();
        _ca.Dispose();
        Directory.Delete(_stateDirectory, recursive: true);
    }

    private Task<IssuedCertificate> RequestAsync(string csrPem, CancellationToken cancellationToken)
    {
        lock (_csrs)
        {
            _csrs.Add(csrPem);
        }

        if (_failures > 0)
        {
            _failures--;
            return Task.FromException<IssuedCertificate>(new InvalidOperationException("portal away"));
        }

        using var certificate = CertificateIssuer.Issue(_ca, csrPem, "n1", "meshportal.local", _time.GetUtcNow(), Lifetime).Certificate!;
        return Task.FromResult(new IssuedCertificate
        {
            ChainPem = certificate.ExportCertificatePem(),
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            TrustBundlePem = _ca.ExportCertificatePem(),
        });
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}

using MeshPortal.Portal.Security.Tls;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Security.Tls;

public sealed class ServerCertificateTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly ServerCertificateFiles _files;

    public ServerCertificateTests() => _files = new ServerCertificateFiles(_time.GetUtcNow());

    [Fact]
    public void Certificate_FilesReplaced_ServedAfterTheReloadInterval()
    {
        var first = _files.Write();
        var certificate = Create();
        var renewed = _files.Write();

        Assert.Equal(first, certificate.Certificate.Thumbprint);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(renewed, certificate.Certificate.Thumbprint);
        Assert.Equal(renewed, certificate.Context.TargetCertificate.Thumbprint);
    }

    [Fact]
    public void Certificate_NewFilesDoNotLoad_KeepsServingThePreviousOne()
    {
        var first = _files.Write();
        var certificate = Create();
        var key = File.ReadAllText(_files.KeyFile);
        _files.Write();
        // Half-way through a rotation: the new certificate beside the old key.
        File.WriteAllText(_files.KeyFile, key);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(first, certificate.Certificate.Thumbprint);
    }

    private ServerCertificate Create() => new(
        Microsoft.Extensions.Options.Options.Create(new PortalTlsOptions { CertificateFile = _files.CertificateFile, KeyFile = _files.KeyFile }),
        _time, NullLogger<ServerCertificate>.Instance);

    public void Dispose() => _files.Dispose();
}

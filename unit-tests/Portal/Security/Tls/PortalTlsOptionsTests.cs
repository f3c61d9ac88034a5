using MeshPortal.Portal.Security.Tls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Security.Tls;

public sealed class PortalTlsOptionsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly ServerCertificateFiles _files;

    public PortalTlsOptionsTests() => _files = new ServerCertificateFiles(_time.GetUtcNow());

    [Fact]
    public void Validate_NoTls_Succeeds() => Assert.True(Validate(new PortalTlsOptions(), "http://127.0.0.1:5000").Succeeded);

    [Fact]
    public void Validate_CertificateAndKeyOnHttpsUrl_Succeeds()
    {
        _files.Write();

        Assert.True(Validate(Options(), "https://127.0.0.1:5000").Succeeded);
    }

    [Fact]
    public void Validate_OnlyCertificate_SaysTheyGoTogether() =>
        Assert.Contains("go together", Validate(new PortalTlsOptions { CertificateFile = "/etc/hostname" }, "https://+:5000").FailureMessage);

    [Fact]
    public void Validate_MissingFile_NamesIt() =>
        Assert.Contains("Portal:Tls:CertificateFile '/nope/tls.crt' cannot be read",
            Validate(new PortalTlsOptions { CertificateFile = "/nope/tls.crt", KeyFile = "/nope/tls.key" }, "https://+:5000").FailureMessage);

    [Fact]
    public void Validate_KeyOfAnotherCertificate_NamesTheKeyFile()
    {
        _files.Write();
        var otherKey = File.ReadAllText(_files.KeyFile);
        _files.Write();
        File.WriteAllText(_files.KeyFile, otherKey);

        Assert.Contains($"Portal:Tls:KeyFile '{_files.KeyFile}' is not a PEM private key of the certificate", Validate(Options(), "https://+:5000").FailureMessage);
    }

    [Fact]
    public void Validate_NoPemInCertificateFile_SaysSo()
    {
        _files.Write();
        File.WriteAllText(_files.CertificateFile, "not a certificate\n");

        Assert.Contains("holds no certificate", Validate(Options(), "https://+:5000").FailureMessage);
    }

    [Fact]
    public void Validate_ExpiredCertificate_SaysWhenItWasValid()
    {
        _files.Write(validFor: TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromHours(2));

        Assert.Contains("is valid from", Validate(Options(), "https://+:5000").FailureMessage);
    }

    [Fact]
    public void Validate_ClientOnlyCertificate_SaysNotForServers()
    {
        _files.Write(serverAuth: false);

        Assert.Contains("not for server authentication", Validate(Options(), "https://+:5000").FailureMessage);
    }

    [Fact]
    public void Validate_OnlyHttpUrls_SaysTheCertificateWouldServeNothing()
    {
        _files.Write();

        Assert.Contains("no URL of ASPNETCORE_URLS ('http://+:5000') is https://", Validate(Options(), "http://+:5000").FailureMessage);
    }

    private PortalTlsOptions Options() => new() { CertificateFile = _files.CertificateFile, KeyFile = _files.KeyFile };

    private Microsoft.Extensions.Options.ValidateOptionsResult Validate(PortalTlsOptions options, string urls)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
        return new PortalTlsOptionsValidation(configuration, _time).Validate(null, options);
    }

    public void Dispose() => _files.Dispose();
}

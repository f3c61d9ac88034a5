using MeshPortal.Portal.Security.Ca;

namespace MeshPortal.UnitTests.Portal.Security;

public sealed class MeshCaOptionsTests
{
    private static readonly MeshCaOptionsValidation Validation = new();

    [Fact]
    public void Defaults_Valid() => Assert.True(Validation.Validate(null, new MeshCaOptions()).Succeeded);

    [Theory]
    [InlineData("Mesh.Local")]
    [InlineData("mesh_local")]
    [InlineData("")]
    [InlineData("-mesh")]
    public void TrustDomain_NotDns_Refused(string domain) =>
        Assert.Contains("TrustDomain", Validation.Validate(null, new MeshCaOptions { TrustDomain = domain }).FailureMessage);

    [Fact]
    public void Lifetime_TooShort_Refused() =>
        Assert.Contains("CertificateLifetime", Validation.Validate(null, new MeshCaOptions { CertificateLifetime = TimeSpan.FromSeconds(1) }).FailureMessage);

    [Fact]
    public void CertificateWithoutKey_Refused() =>
        Assert.Contains("go together", Validation.Validate(null, new MeshCaOptions { CertificateFile = "/etc/hostname" }).FailureMessage);

    [Fact]
    public void MissingFiles_Refused() =>
        Assert.Contains("does not exist", Validation.Validate(null, new MeshCaOptions { CertificateFile = "/nope/ca.pem", KeyFile = "/nope/ca.key" }).FailureMessage);

    [Theory]
    [InlineData(100, CertificateState.Valid)]
    [InlineData(10, CertificateState.Expiring)]
    [InlineData(0, CertificateState.Expired)]
    [InlineData(-5, CertificateState.Expired)]
    public void Health_ByRemainingShareOfLifetime(int remainingPercent, CertificateState expected)
    {
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var lifetime = TimeSpan.FromHours(10);

        Assert.Equal(expected, CertificateHealth.Of(now + (lifetime * remainingPercent / 100), lifetime, now));
    }

    [Fact]
    public void Health_NoCertificate_None() =>
        Assert.Equal(CertificateState.None, CertificateHealth.Of(null, TimeSpan.FromHours(1), DateTimeOffset.UnixEpoch));
}

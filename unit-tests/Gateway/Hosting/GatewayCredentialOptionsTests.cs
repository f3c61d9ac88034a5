using MeshPortal.Gateway.Hosting;

namespace MeshPortal.UnitTests.Gateway.Hosting;

/// <summary>Gateway:Token, Gateway:TokenFile and Gateway:JoinTokenFile: exactly one, and a file that holds a token at start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GatewayCredentialOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gw-credential-").FullName;

    private static GatewayOptions Valid() => new()
    {
        PortalUrl = "http://127.0.0.1:5000",
        Node = "ip-10-0-1-2.ec2.internal",
        ProxyUrl = "http://127.0.0.1:15001",
        AdminUrl = "http://127.0.0.1:19001",
        StateDirectory = "/tmp/gw-n1",
    };

    [Theory]
    [InlineData(nameof(GatewayOptions.TokenFile))]
    [InlineData(nameof(GatewayOptions.JoinTokenFile))]
    public void Validate_FileWithTokenAndNewline_Succeeds(string setting)
    {
        var options = With(setting, Secret("mgt_abc\n"));

        Assert.True(new GatewayOptionsSetup().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(nameof(GatewayOptions.TokenFile))]
    [InlineData(nameof(GatewayOptions.JoinTokenFile))]
    public void Validate_MissingFile_FailsNamingSettingAndPath(string setting)
    {
        var path = Path.Combine(_dir, "absent");

        var failure = Assert.Single(new GatewayOptionsSetup().Validate(null, With(setting, path)).Failures!);

        Assert.Equal($"Gateway:{setting} file '{path}' does not exist (env Gateway__{setting}).", failure);
    }

    [Fact]
    public void Validate_BlankTokenFile_FailsSayingEmptyWithoutContent()
    {
        var path = Secret(" \n\t");

        var failure = Assert.Single(new GatewayOptionsSetup().Validate(null, With(nameof(GatewayOptions.TokenFile), path)).Failures!);

        Assert.Equal($"Gateway:TokenFile file '{path}' is empty (env Gateway__TokenFile).", failure);
    }

    [Fact]
    public void Validate_TokenAndJoinTokenFile_FailsNamingBoth()
    {
        var options = With(nameof(GatewayOptions.JoinTokenFile), Secret("mjt_x"));
        options.Token = "mgt_secret-value";

        var failure = Assert.Single(new GatewayOptionsSetup().Validate(null, options).Failures!);

        Assert.Equal("Set exactly one of Gateway:Token, Gateway:TokenFile and Gateway:JoinTokenFile, not Gateway:Token and Gateway:JoinTokenFile.", failure);
        Assert.DoesNotContain("secret-value", failure);
    }

    [Fact]
    public void Validate_NoCredential_FailsNamingAllThree()
    {
        var failure = Assert.Single(new GatewayOptionsSetup().Validate(null, Valid()).Failures!);

        Assert.Contains("Gateway__Token, Gateway__TokenFile, Gateway__JoinTokenFile", failure);
    }

    [Fact]
    public void SecretFile_Write_OwnerOnlyAndReadBackTrimmed()
    {
        var path = Path.Combine(_dir, "node-token");
        File.WriteAllText(path, "old");

        SecretFile.Write(path, "mgt_new\n");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("mgt_new", SecretFile.Read(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/api/fleet/enroll")]
    [InlineData("https://portal.example/mesh/", "https://portal.example/mesh/api/fleet/enroll")]
    public void EnrollUris_PortalUrl_EnrollEndpointUnderIt(string portalUrl, string expected)
    {
        var options = Valid();
        options.PortalUrl = portalUrl;

        Assert.Equal(new[] { new Uri(expected) }, options.EnrollUris);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private GatewayOptions With(string setting, string path)
    {
        var options = Valid();
        if (setting == nameof(GatewayOptions.TokenFile))
        {
            options.TokenFile = path;
        }
        else
        {
            options.JoinTokenFile = path;
        }

        return options;
    }

    private string Secret(string content)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        return path;
    }
}

using System.Diagnostics;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Launcher;

/// <summary>
/// What the images run (deploy/*.Containerfile): the published gateway and portal, each started as a non-root user
/// from a read-only directory on a read-only root file system, with only /tmp writable.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishedOutputTests
{
    private const int Nobody = 65534;

    // A private mount namespace: / and the app read-only, a fresh tmpfs on /tmp, then the app as nobody.
    private const string ReadOnlyLaunch = """
        set -e
        mount -o remount,bind,ro /
        mount --bind "$1" "$1"
        mount -o remount,bind,ro "$1"
        mount -t tmpfs -o mode=1777,size=64m tmpfs /tmp
        cd "$1"
        exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all dotnet "$2"
        """;

    [Fact]
    public async Task PublishedGateway_NonRootOnReadOnlyRoot_ServesHealth()
    {
        var admin = $"http://127.0.0.1:{Ports.Free()}";
        var env = new Dictionary<string, string>
        {
            // Nothing listens there: the gateway must still come up and answer its health endpoint.
            ["Gateway__PortalUrl"] = $"http://127.0.0.1:{Ports.Free()}",
            ["Gateway__Token"] = "gwt_published-output-test",
            ["Gateway__Node"] = "ip-10-0-1-2.ec2.internal",
            ["Gateway__GatewayId"] = "published",
            ["Gateway__ProxyUrl"] = $"http://127.0.0.1:{Ports.Free()}",
            ["Gateway__AdminUrl"] = admin,
            ["Gateway__StateDirectory"] = "/tmp/meshgateway",
        };

        await RunPublishedAsync("gateway", "MeshPortal.Gateway", env, $"{admin}/healthz");
    }

    [Fact]
    public async Task PublishedPortal_NonRootOnReadOnlyRoot_IsReady()
    {
        await using var database = await TestDatabase.CreateAsync("published");
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ConnectionStrings__Mesh"] = database.ConnectionString,
            ["Portal__PublicUrl"] = url,
            ["Portal__DataProtection__Key"] = PortalProcess.NewKeyProtectionKey(),
            ["MESH_ADMIN_PASSWORD"] = $"adm-{Guid.NewGuid():N}",
        };

        // /readyz answers 200 only once the schema is applied and PostgreSQL answers.
        await RunPublishedAsync("portal", "MeshPortal.Portal", env, $"{url}/readyz");
    }

    private static async Task RunPublishedAsync(string folder, string assembly, Dictionary<string, string> env, string healthUrl)
    {
        var published = await PublishAsync(Path.Combine(Paths.Root, folder, $"{assembly}.csproj"));
        try
        {
            await using var app = TestProcess.Start(folder, "unshare",
                ["--mount", "--propagation", "private", "sh", "-c", ReadOnlyLaunch, "launch", published, $"{assembly}.dll"], "/", env);
            using var http = new HttpClient();

            await Poll.UntilAsync(() => MeshFixture.IsOkAsync(http, healthUrl), TimeSpan.FromSeconds(60), () => app.Output);

            Assert.Contains($"Uid:\t{Nobody}\t{Nobody}", await File.ReadAllTextAsync($"/proc/{app.Id}/status"));
            Assert.False(app.HasExited, app.Output);
        }
        finally
        {
            await RunAsync("chmod", "-R", "u+w", published);
            Directory.Delete(published, recursive: true);
        }
    }

    /// <summary>Publishes the already built project (Release) into a world-readable directory, then takes every write bit away.</summary>
    private static async Task<string> PublishAsync(string project)
    {
        var output = Path.Combine("/var/tmp", $"meshportal-published-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output, (UnixFileMode)0b111_101_101);
        await RunAsync("dotnet", "publish", project, "-c", "Release", "--no-build", "-nologo", "-v", "q", "-o", output);
        await RunAsync("chmod", "-R", "a-w", output);
        return output;
    }

    private static async Task RunAsync(string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}

using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Launcher;

/// <summary>
/// The images themselves (deploy/*.Containerfile, built by deploy/local-images on a base made from Debian's
/// packages): they hold no shell, run as UID 1654 and, where this machine can run containers, serve on a
/// read-only root file system: the portal against PostgreSQL, a gateway synced from it proxying to a backend.
/// A machine without podman, or whose podman cannot start containers, skips with the reason.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerImageTests(ContainerImages images, ITestOutputHelper output) : IClassFixture<ContainerImages>
{
    private const string Uid = "1654";

    [SkippableFact]
    public async Task LocalImages_BuiltFromContainerfiles_RunAsUid1654WithoutShell()
    {
        Skip.If(images.NotBuildable is not null, images.NotBuildable);
        Assert.True(images.Build.Succeeded, images.Build.ToString());
        output.WriteLine($"deploy/local-images took {images.BuildTime.TotalSeconds:0} s:\n{images.Build.Output}");

        foreach (var image in images.Images.Keys)
        {
            var user = await Podman.RunAsync(["image", "inspect", "--format", "{{.Config.User}}", image], TimeSpan.FromSeconds(30));
            Assert.Equal($"{Uid}:{Uid}", user.Output);
            Assert.Empty(await ShellsInAsync(image));
        }
    }

    [SkippableFact]
    public async Task LocalImages_RunReadOnlyAsUid1654_GatewaySyncsAndProxies()
    {
        Skip.If(images.NotBuildable is not null, images.NotBuildable);
        Assert.True(images.Build.Succeeded, images.Build.ToString());
        Skip.If(images.RunOptions is null, $"podman cannot start a container on this machine: {images.RunFailure}");

        await using var database = await TestDatabase.CreateAsync("image");
        var credentials = Directory.CreateTempSubdirectory("meshportal-image-");
        try
        {
            await using var portal = await StartPortalAsync(database, credentials.FullName);
            var backendUrl = $"http://127.0.0.1:{Ports.Free()}";
            await using var backend = TestProcess.StartDotnet("inventory", Paths.Shop,
                ["--role", "inventory", "--subset", "v1", "--instance", "inventory-v1", "--urls", backendUrl]);
            await Poll.UntilAsync(() => MeshFixture.IsOkAsync(portal.Api.Http, $"{backendUrl}/healthz"), TimeSpan.FromSeconds(60), () => backend.Output);
            await portal.Api.SendOkAsync(HttpMethod.Post, "/api/services",
                $$"""{"name":"inventory","subsets":[{"name":"v1","instances":[{"id":"inventory-v1","address":"{{backendUrl}}","node":"n1"}]}]}""");
            await portal.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
                """{"id":"inventory","match":{"hosts":["inventory"]},"backends":[{"service":"inventory","subset":"v1","weight":100}]}""");
            var token = (await portal.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", """{"node":"n1"}""")).GetProperty("token").GetString()!;

            var proxy = $"http://127.0.0.1:{Ports.Free()}";
            await using var gateway = Container.Start(images, images.Gateway, new Dictionary<string, string>
            {
                ["Gateway__PortalUrl"] = portal.Url,
                ["Gateway__Token"] = token,
                ["Gateway__Node"] = "n1",
                ["Gateway__ProxyUrl"] = proxy,
                ["Gateway__AdminUrl"] = $"http://127.0.0.1:{Ports.Free()}",
            });

            var head = (await portal.Api.RevisionAsync()).Revision;
            await Poll.UntilAsync(async () => (await portal.Api.GatewaysAsync()).Any(g => g.State == "SYNCED" && g.AppliedRevision >= head),
                TimeSpan.FromSeconds(60), () => gateway.Output);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{proxy}/") { Headers = { Host = "inventory" } };
            using var proxied = await portal.Api.Http.SendAsync(request);
            Assert.Contains("\"instance\":\"inventory-v1\"", await proxied.Content.ReadAsStringAsync());
            Assert.Contains($"Uid:\t{Uid}\t{Uid}", await gateway.HostUidLineAsync());
            Assert.Contains($"Uid:\t{Uid}\t{Uid}", await portal.Container.HostUidLineAsync());
        }
        finally
        {
            credentials.Delete(recursive: true);
        }
    }

    /// <summary>The portal image against <paramref name="database"/>, ready, with its first admin's API key.</summary>
    private async Task<RunningPortal> StartPortalAsync(TestDatabase database, string credentials)
    {
        // The container's UID writes the generated credentials into this host directory, the only writable mount.
        File.SetUnixFileMode(credentials, (UnixFileMode)0b111_111_111);
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var container = Container.Start(images, images.Portal, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ConnectionStrings__Mesh"] = database.ConnectionString,
            ["Portal__PublicUrl"] = url,
            ["Portal__DataProtection__Key"] = PortalProcess.NewKeyProtectionKey(),
            ["Portal__CredentialsFile"] = "/credentials/credentials",
        }, "--volume", $"{credentials}:/credentials");
        try
        {
            var file = Path.Combine(credentials, "credentials");
            await Poll.UntilAsync(() => Task.FromResult(File.Exists(file) && File.ReadAllText(file).Contains("API_KEY=")),
                TimeSpan.FromSeconds(90), () => container.Output);
            var key = File.ReadAllLines(file).Select(l => l.Split('=', 2)).Single(p => p[0] == "API_KEY")[1];
            var portal = new RunningPortal(url, container, new MeshApi(url, key));
            await Poll.UntilAsync(() => MeshFixture.IsOkAsync(portal.Api.Http, $"{url}/readyz"), TimeSpan.FromSeconds(60), () => container.Output);

            // The npm step's output is in the image: the topology page's scripts are served.
            using var script = await portal.Api.Http.GetAsync($"{url}/lib/cytoscape-fcose.js");
            Assert.True(script.IsSuccessStatusCode, $"lib/cytoscape-fcose.js: {(int)script.StatusCode}");
            output.WriteLine($"portal image ready at {url}");
            return portal;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>Any shell in the image's file system; a mounted image is read from the host.</summary>
    private static async Task<string[]> ShellsInAsync(string image)
    {
        var mount = await Podman.RunAsync(["image", "mount", image], TimeSpan.FromSeconds(60));
        Assert.True(mount.Succeeded, mount.ToString());
        try
        {
            return [.. new[] { "bin/sh", "usr/bin/sh", "bin/bash", "usr/bin/bash", "bin/dash", "usr/bin/dash", "bin/busybox" }
                .Where(shell => File.Exists(Path.Combine(mount.Output, shell)))];
        }
        finally
        {
            await Podman.RunAsync(["image", "unmount", image], TimeSpan.FromSeconds(60));
        }
    }

    private sealed record RunningPortal(string Url, Container Container, MeshApi Api) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await Container.DisposeAsync();
        }
    }
}

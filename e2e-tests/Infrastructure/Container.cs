namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>
/// An image run as the chart runs it: a read-only root file system with a fresh /tmp, UID 1654, no
/// capabilities, no privilege gain; on the host's network, so it reaches the test PostgreSQL on 127.0.0.1.
/// </summary>
public sealed class Container : IAsyncDisposable
{
    private readonly TestProcess _podman;

    private Container(string name, TestProcess podman)
    {
        Name = name;
        _podman = podman;
    }

    public string Name { get; }
    public string Output => _podman.Output;

    public static Container Start(
        ContainerImages images, string image, IDictionary<string, string> env, params string[] extraRunOptions)
    {
        var name = $"meshportal-e2e-{Guid.NewGuid():N}"[..28];
        var (global, run) = images.RunOptions ?? throw new InvalidOperationException("no way to run a container here");
        var environment = new Dictionary<string, string>(env) { ["Logging__Console__FormatterName"] = "simple" };
        string[] args =
        [
            .. global, "run", "--rm", "--name", name, .. run,
            "--network", "host", "--read-only", "--tmpfs", "/tmp", "--user", "1654:1654",
            "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            .. extraRunOptions,
            .. environment.SelectMany(pair => new[] { "--env", $"{pair.Key}={pair.Value}" }),
            image,
        ];
        return new Container(name, TestProcess.Start(name, "podman", args, "/"));
    }

    /// <summary>The user the container's main process runs as on this host, as /proc/PID/status puts it.</summary>
    public async Task<string> HostUidLineAsync()
    {
        var pid = await Podman.RunAsync(["inspect", "--format", "{{.State.Pid}}", Name], TimeSpan.FromSeconds(30));
        Assert.True(pid.Succeeded, pid.ToString());
        return File.ReadLines($"/proc/{pid.Output}/status").Single(line => line.StartsWith("Uid:", StringComparison.Ordinal));
    }

    /// <summary>Killing the attached podman client would leave the container running: remove it.</summary>
    public async ValueTask DisposeAsync()
    {
        await Podman.RunAsync(["rm", "--force", "--time", "0", Name], TimeSpan.FromSeconds(60));
        await _podman.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Globalization;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>
/// The portal and gateway images, built once by deploy/local-images, and the podman options this machine
/// can start a container with (or why it can start none).
/// </summary>
public sealed class ContainerImages : IAsyncLifetime
{
    public string? NotBuildable { get; private set; }
    public CommandResult Build { get; private set; } = new(-1, "", "not built");
    public TimeSpan BuildTime { get; private set; }

    /// <summary>Image name → size in bytes, as deploy/local-images printed them ("image NAME BYTES").</summary>
    public IReadOnlyDictionary<string, long> Images { get; private set; } = new Dictionary<string, long>();

    public string Portal => Images.Keys.Single(name => name.Contains("/portal:", StringComparison.Ordinal));
    public string Gateway => Images.Keys.Single(name => name.Contains("/gateway:", StringComparison.Ordinal));

    /// <summary>Global options and run options that started a container here; null when none did.</summary>
    public (string[] Global, string[] Run)? RunOptions { get; private set; }

    /// <summary>Each way of running that was tried, with podman's own error.</summary>
    public string RunFailure { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!Podman.IsInstalled)
        {
            NotBuildable = "podman is not installed (./mesh test installs it with apt where the machine lets it)";
            return;
        }

        var clock = Stopwatch.StartNew();
        Build = await Podman.ExecuteAsync(Path.Combine(Paths.Root, "deploy", "local-images"), ["--no-build"], TimeSpan.FromMinutes(10));
        BuildTime = clock.Elapsed;
        Images = Build.Output.Split('\n')
            .Select(line => line.Split(' '))
            .Where(fields => fields is ["image", _, _])
            .ToDictionary(fields => fields[1], fields => long.Parse(fields[2], CultureInfo.InvariantCulture));
        if (Build.Succeeded && Images.Count == 2)
        {
            await FindRunOptionsAsync();
        }
    }

    /// <summary>
    /// podman's defaults first. Then limits no higher than this process's: podman asks for RLIMIT_NOFILE
    /// 1048576, which needs CAP_SYS_RESOURCE where the hard limit is lower (a sandbox without it fails
    /// with "setrlimit `RLIMIT_NOFILE`: Operation not permitted"). Then runc, since crun refuses a host
    /// whose cgroup v1 hierarchies sit beside a cgroup v2 one ("cgroups in hybrid mode not supported").
    /// </summary>
    private async Task FindRunOptionsAsync()
    {
        var nofile = OwnHardLimit("Max open files");
        string[] limits = ["--ulimit", $"nofile={nofile}:{nofile}", "--ulimit", "nproc=4096:4096"];
        (string[] Global, string[] Run)[] candidates = [([], []), ([], limits), (["--runtime", "runc"], limits)];
        var failures = new List<string>();
        foreach (var (global, run) in candidates)
        {
            var probe = await Podman.RunAsync(
                [.. global, "run", "--rm", .. run, "--entrypoint", "dotnet", Gateway, "--list-runtimes"], TimeSpan.FromMinutes(1));
            if (probe.Succeeded)
            {
                RunOptions = (global, run);
                return;
            }

            failures.Add($"`{string.Join(' ', ["podman", .. global, "run", .. run])}`: {probe.Error}");
        }

        RunFailure = string.Join("; ", failures);
    }

    private static string OwnHardLimit(string name)
    {
        var hard = File.ReadLines("/proc/self/limits")
            .Single(line => line.StartsWith(name, StringComparison.Ordinal))[name.Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return hard == "unlimited" ? "-1" : hard;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

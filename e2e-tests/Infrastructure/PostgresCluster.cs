using System.Diagnostics;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of the test's own (initdb into a temp directory, a free port),
/// so a test can kill it without harming the server every other test shares. Run as the
/// <c>postgres</c> user when the tests run as root, as <c>./mesh</c> does.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("meshportal-pg-").FullName;
    private readonly string _bin;

    private PostgresCluster(string bin, int port)
    {
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=3";

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb)");
        var cluster = new PostgresCluster(bin, Ports.Free());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "-R", "postgres:postgres", cluster._root);
        }

        await cluster.AsPostgresAsync("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions");
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Starts the cluster; after a crash it retries while the dead postmaster's children still hold its shared memory.</summary>
    public async Task StartAgainAsync()
    {
        var log = Path.Combine(_root, "server.log");
        await Poll.UntilAsync(async () =>
        {
            try
            {
                await AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", log, "-w", "-t", "30",
                    "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", "start");
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => File.Exists(log) ? File.ReadAllText(log) : "no server.log", intervalMs: 250);
    }

    /// <summary>What a crash does: SIGKILL to the postmaster, no shutdown at all.</summary>
    public void KillPostmaster()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First());
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill();
        postmaster.WaitForExit();
    }

    private Task AsPostgresAsync(string program, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. args])
            : RunAsync(Path.Combine(_bin, program), args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped (a test killed it and did not restart it).
        }

        Directory.Delete(_root, recursive: true);
    }
}

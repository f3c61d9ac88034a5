using System.Diagnostics;

namespace MeshPortal.Bench.Runner.Infra;

/// <summary>
/// A program the run started, its output in a log file (and on stderr when echoed). Disposing kills it with everything it
/// started (nginx's workers), so nothing outlives the run.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private readonly bool _echo;

    private ChildProcess(string name, Process process, StreamWriter log, bool echo)
    {
        Name = name;
        _process = process;
        _log = log;
        _echo = echo;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; private init; } = "";

    public static ChildProcess Start(string name, string logDirectory, string file, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null, bool echo = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var logPath = Path.Combine(logDirectory, $"{name}.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(name, process, log, echo) { LogPath = logPath };
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>A .NET program of this repository, run from its output folder so it finds its appsettings.json.</summary>
    public static ChildProcess StartDotnet(string name, string logDirectory, string dll, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? env = null, bool echo = false)
    {
        var all = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        return Start(name, logDirectory, "dotnet", [dll, .. args], all, Path.GetDirectoryName(dll), echo);
    }

    /// <summary>The last lines of the log, for an error message.</summary>
    public string Tail(int lines = 30)
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
    }

    /// <summary>Runs to the end and fails with its log when it exits non-zero.</summary>
    public async Task WaitSucceededAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Tail()}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }

        if (_echo)
        {
            Console.Error.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}

using System.Diagnostics;

namespace MeshPortal.E2ETests.Infrastructure;

public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}".Trim();
}

/// <summary>The podman command line, for the image tests.</summary>
public static class Podman
{
    public static bool IsInstalled =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "podman")));

    public static Task<CommandResult> RunAsync(IEnumerable<string> args, TimeSpan timeout) => ExecuteAsync("podman", args, timeout);

    /// <summary>Runs a command to its end and keeps both its outputs; a timeout kills it.</summary>
    public static async Task<CommandResult> ExecuteAsync(string fileName, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new CommandResult(-1, await stdout, $"{await stderr}\n{fileName} killed after {timeout.TotalSeconds:0} s");
        }

        return new CommandResult(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }
}

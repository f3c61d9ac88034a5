using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshPortal.Bench.Runner.DataPlane;

/// <summary>One wrk run: requests/s, latency percentiles, and how many answers were not 2xx/3xx.</summary>
internal sealed partial record WrkResult(double RequestsPerSecond, long Requests, double P50Ms, double P99Ms, long Errors)
{
    public static async Task<WrkResult> RunAsync(string url, string host, int connections, int seconds, CancellationToken ct)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{seconds}s", "--latency", "-H", $"Host: {host}", $"{url}/" })
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start");
        var reading = wrk.StandardError.ReadToEndAsync(ct);
        var output = await wrk.StandardOutput.ReadToEndAsync(ct);
        var error = await reading;
        await wrk.WaitForExitAsync(ct);
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}): {error}{output}");
        }

        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        double Number(Regex regex) => regex.Match(output) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new FormatException($"wrk output without {regex}:\n{output}");

        var errors = NonSuccess().Match(output) is { Success: true } e ? long.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        foreach (Match socket in SocketErrors().Matches(output))
        {
            errors += long.Parse(socket.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return new WrkResult(Number(RateLine()), (long)Number(CountLine()), Latency(output, "50%"), Latency(output, "99%"), errors);
    }

    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, $@"^\s*{percentile}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            throw new FormatException($"wrk output without the {percentile} latency:\n{output}");
        }

        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RateLine();

    [GeneratedRegex(@"^\s*(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex CountLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}

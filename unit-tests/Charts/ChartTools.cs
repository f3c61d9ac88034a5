using System.ComponentModel;
using System.Diagnostics;

namespace MeshPortal.UnitTests.Charts;

/// <summary>
/// The chart's renderer (charts/render, Go: Helm's template libraries) and schema validator
/// (charts/validate, Node: the Kubernetes API schema). ./mesh test installs both; run elsewhere
/// without them, a test fails saying what to install rather than passing unchecked.
/// </summary>
public static class ChartTools
{
    private const string GoPackages = "golang-go golang-github-masterminds-sprig-dev golang-github-xeipuuv-gojsonschema-dev golang-gopkg-yaml.v2-dev";

    private static readonly string ChartsDirectory = Path.GetDirectoryName(ChartValues.ChartDirectory)!;

    private static readonly Lazy<string> Renderer = new(BuildRenderer);

    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>Renders charts/meshportal like <c>helm template</c>, with the renderer's arguments (-f, --set, --kube-version).</summary>
    public static Result Render(params string[] arguments) =>
        Run(Renderer.Value, [.. arguments, ChartValues.ChartDirectory], null, ChartsDirectory, []);

    /// <summary>The required-field, type and format errors the Kubernetes API schema finds in a multi-document manifest.</summary>
    public static IReadOnlyList<string> SchemaErrors(string manifests)
    {
        var directory = Path.Combine(ChartsDirectory, "validate");
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            throw new InvalidOperationException($"{directory}/node_modules is missing: run 'npm ci' there (./mesh test does)");
        }

        var result = Run("node", ["validate.mjs"], manifests, directory, []);
        if (result.ExitCode != 0 && result.Output.Length == 0)
        {
            throw new InvalidOperationException($"charts/validate/validate.mjs failed: {result.Errors}");
        }

        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Go from Debian: GOPATH mode over /usr/share/gocode, so the build never reaches the network.</summary>
    private static string BuildRenderer()
    {
        var output = Path.Combine(Path.GetTempPath(), $"meshportal-render-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        };
        var environment = new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = "/usr/share/gocode",
            ["GOFLAGS"] = "",
            // Shared across runs so only the first build compiles sprig and its dependencies.
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "meshportal-go-cache"),
        };
        var binary = Path.Combine(output, "render");
        var result = Run("go", ["build", "-o", binary, "."], null, Path.Combine(ChartsDirectory, "render"), environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build of charts/render failed (apt-get install {GoPackages}; ./mesh test does):\n{result.Errors}");
        }

        return binary;
    }

    private static Result Run(string program, string[] arguments, string? input, string directory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            var install = program == "go" ? $"apt-get install {GoPackages}" : "apt-get install nodejs npm";
            throw new InvalidOperationException($"'{program}' could not be started ({e.Message}): {install} (./mesh test does)", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input ?? "");
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} took over 2 minutes");
            }

            return new Result(process.ExitCode, output.Result, errors.Result);
        }
    }
}

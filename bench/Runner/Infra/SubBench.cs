using MeshPortal.Bench.Common;

namespace MeshPortal.Bench.Runner.Infra;

/// <summary>Runs one of the other bench programs as its own process and reads the figures it wrote.</summary>
internal static class SubBench
{
    public static async Task<T> RunAsync<T>(Settings settings, string name, string dll, IEnumerable<string> args, CancellationToken ct)
    {
        var json = Path.Combine(settings.WorkDirectory, $"{name}.json");
        await using var process = ChildProcess.StartDotnet(name, settings.WorkDirectory, dll, [.. args, "--json", json], echo: true);
        await process.WaitSucceededAsync(ct);

        return await BenchJson.ReadAsync<T>(json);
    }
}

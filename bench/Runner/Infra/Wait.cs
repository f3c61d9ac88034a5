using System.Diagnostics;

namespace MeshPortal.Bench.Runner.Infra;

internal static class Wait
{
    public static async Task HttpOkAsync(string url, TimeSpan timeout, ChildProcess process, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited at start:\n{process.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(url, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"{process.Name} did not answer {url} within {timeout.TotalSeconds} s:\n{process.Tail()}");
    }
}

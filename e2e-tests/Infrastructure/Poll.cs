using System.Diagnostics;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>Waits for real processes to reach a state, failing with what was last seen.</summary>
public static class Poll
{
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, int intervalMs = 20)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(intervalMs);
        }

        throw new TimeoutException($"not reached within {timeout.TotalSeconds:0.#} s: {describe()}");
    }
}

using System.Diagnostics;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Gateway;

[Collection(GatewayMeshCollection.Name)]
public sealed class SplitUnderLoadTests(GatewayMeshFixture fixture, ITestOutputHelper output)
{
    /// <summary>Callers sending back to back through the three gateways, each request crossing two of them (catalog calls inventory).</summary>
    private const int Callers = 24;
    private const int Changes = 50;
    private static readonly TimeSpan ChangeInterval = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// Closed-loop load, so what is measured is whether a config change fails requests, not whether an
    /// overloaded machine queues them into timeouts (an open-loop 800 req/s did that beside other work).
    /// </summary>
    [Fact]
    public async Task SplitChanges50TimesUnderSteadyLoad_NoRequestFails()
    {
        var mesh = fixture.Mesh;
        await fixture.ResetCatalogAsync();
        using var load = new SteadyLoad([.. mesh.Gateways.Select(g => g.ProxyUrl)]);

        using var stop = new CancellationTokenSource();
        var running = load.RunClosedLoopAsync(Callers, stop.Token);
        await Task.Delay(1000);
        var (made, revision) = await ChangeSplitAsync(mesh);
        await mesh.WaitAllSyncedAsync(revision);
        await Task.Delay(1000);
        await stop.CancelAsync();
        await running;

        var outcomes = load.Outcomes;
        var failed = outcomes.Where(o => o.Failed).ToList();
        var seconds = outcomes[^1].SentAt - outcomes[0].SentAt;
        output.WriteLine($"{outcomes.Count} requests over {seconds.TotalSeconds:0.0} s ({outcomes.Count / seconds.TotalSeconds:0} req/s) " +
            $"through {mesh.Gateways.Count} gateways, {made} split changes, {failed.Count} failed; " +
            $"answered by v1 {outcomes.Count(o => o.Subset == "v1")}, v2 {outcomes.Count(o => o.Subset == "v2")}");
        foreach (var kind in failed.GroupBy(o => $"{o.Status} {o.Error?[..Math.Min(o.Error.Length, 120)]}").OrderByDescending(g => g.Count()).Take(5))
        {
            output.WriteLine($"  {kind.Count()} × {kind.Key} (first at {kind.First().SentAt.TotalSeconds:0.0} s)");
        }

        Assert.True(outcomes.Count >= Changes * 20, $"only {outcomes.Count} requests");
        Assert.Equal(Changes, made);
        Assert.True(failed.Count == 0, $"{failed.Count} failed: {string.Join("; ", failed.Take(10))}");
        Assert.Contains(outcomes, o => o.Subset == "v1");
        Assert.Contains(outcomes, o => o.Subset == "v2");
        await fixture.ResetCatalogAsync();
    }

    /// <summary>Changes at a steady pace, alternating between opposite splits.</summary>
    private static async Task<(int Made, long Revision)> ChangeSplitAsync(MeshFixture mesh)
    {
        var interval = ChangeInterval;
        var clock = Stopwatch.StartNew();
        long revision = 0;
        var made = 0;
        for (var i = 1; i <= Changes; i++)
        {
            var wait = interval * i - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var v1 = i % 2 == 0 ? 80 : 20;
            var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
                $$"""{"backends":[{"service":"catalog","subset":"v1","weight":{{v1}}},{"service":"catalog","subset":"v2","weight":{{100 - v1}}}],"reason":"e2e: change {{i}} under load"}""");
            revision = changed.GetProperty("revision").GetInt64();
            made++;
        }

        return (made, revision);
    }
}

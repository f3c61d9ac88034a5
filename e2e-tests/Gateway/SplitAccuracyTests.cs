using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Gateway;

[Collection(GatewayMeshCollection.Name)]
public sealed class SplitAccuracyTests(GatewayMeshFixture fixture, ITestOutputHelper output)
{
    private const int Requests = 10_000;

    [Theory]
    [InlineData(90, 10, 0)]
    [InlineData(50, 50, 0)]
    [InlineData(99, 1, 0)]
    [InlineData(60, 30, 10)]
    public async Task Split_TenThousandRequests_EverySubsetWithinOnePointOfItsWeight(int v1, int v2, int v3)
    {
        var mesh = fixture.Mesh;
        var weights = new Dictionary<string, int> { ["v1"] = v1, ["v2"] = v2 };
        if (v3 > 0)
        {
            await EnsureThirdSubsetAsync(mesh);
            weights["v3"] = v3;
        }

        var backends = string.Join(',', weights.Select(w => $$"""{"service":"catalog","subset":"{{w.Key}}","weight":{{w.Value}}}"""));
        var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split", $$"""{"backends":[{{backends}}],"reason":"e2e: split accuracy"}""");
        await mesh.WaitAllSyncedAsync(changed.GetProperty("revision").GetInt64());

        // One gateway: the split is exact per gateway, and this run is its only traffic on the route.
        using var load = new SteadyLoad([mesh.Gateways[0].ProxyUrl]);
        await load.RunFlatOutAsync(Requests, concurrency: 16);

        var outcomes = load.Outcomes;
        Assert.DoesNotContain(outcomes, o => o.Failed);
        var observed = weights.Keys.ToDictionary(s => s, s => 100.0 * outcomes.Count(o => o.Subset == s) / outcomes.Count);
        output.WriteLine($"configured {string.Join('/', weights.Values)}: observed " +
            string.Join(", ", observed.Select(o => $"{o.Key} {o.Value:0.00}% (error {o.Value - weights[o.Key]:+0.00;-0.00;0} pp)")));
        Assert.All(weights, w => Assert.InRange(observed[w.Key], w.Value - 1.0, w.Value + 1.0));
        await fixture.ResetCatalogAsync();
    }

    /// <summary>Registers catalog v3 (one more catalog process) through the API, once.</summary>
    private static async Task EnsureThirdSubsetAsync(MeshFixture mesh)
    {
        var catalog = await mesh.Api.Http.GetStringAsync("/api/services/catalog");
        if (catalog.Contains("\"v3\"", StringComparison.Ordinal))
        {
            return;
        }

        var (url, _) = await DemoShop.StartInstanceAsync(mesh, "catalog", "v3", "catalog-v3", mesh.Gateways[1].ProxyUrl);
        await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services/catalog/instances",
            $$"""{"subset":"v3","id":"catalog-v3","address":"{{url}}","node":"n2"}""");
    }
}

using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

[Collection(MeshCollection.Name)]
public sealed class PortalReplicaTests(MeshFixture mesh)
{
    [Fact]
    public async Task TwoPortalsOneDatabase_ChangeOnOne_GatewayOfTheOtherAppliesIt()
    {
        var (replicaUrl, replica) = await mesh.StartPortalReplicaAsync();
        var gateway = await mesh.StartGatewayAsync("n5", await mesh.MintTokenAsync("n5"), portalUrl: replicaUrl);
        using var replicaApi = new MeshApi(replicaUrl, mesh.ApiKey);
        try
        {
            await Poll.UntilAsync(async () => (await replicaApi.GatewaysAsync()).Any(g => g.Node == "n5" && g.State == "SYNCED"),
                TimeSpan.FromSeconds(20), () => replica.Output);

            var changed = await mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
                """{"backends":[{"service":"catalog","subset":"v1","weight":60},{"service":"catalog","subset":"v2","weight":40}],"reason":"via portal A"}""");
            var revision = changed.GetProperty("revision").GetInt64();

            await Poll.UntilAsync(async () => (await replicaApi.GatewaysAsync()).Any(g => g.Node == "n5" && g.AppliedRevision == revision),
                TimeSpan.FromSeconds(2), () => gateway.Process.Output);
            Assert.Equal(await mesh.Api.RevisionAsync(), await replicaApi.RevisionAsync());
        }
        finally
        {
            await gateway.Process.DisposeAsync();
            await replica.DisposeAsync();
        }
    }
}

using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Gateway;

/// <summary>
/// A mesh of its own for the data-plane tests, which stop the portal, kill instances and overload
/// routes: the shared "mesh" collection stays untouched. Its gateways accept at most
/// <see cref="MaxRoutes"/> routes, so a snapshot with one more is refused by every one of them.
/// </summary>
public sealed class GatewayMeshFixture : IAsyncLifetime
{
    public const int MaxRoutes = 4;

    public MeshFixture Mesh { get; } = new(new Dictionary<string, string> { ["Gateway__MaxRoutes"] = MaxRoutes.ToString() });

    public Task InitializeAsync() => Mesh.InitializeAsync();

    public Task DisposeAsync() => Mesh.DisposeAsync();

    /// <summary>Puts the catalog route back as the demo has it: 50/50 over v1 and v2, no policies.</summary>
    public async Task ResetCatalogAsync()
    {
        await Mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/policies", """{"policies":{},"reason":"e2e: reset"}""");
        var reset = await Mesh.Api.SendOkAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}],"reason":"e2e: reset"}""");
        await Mesh.WaitAllSyncedAsync(reset.GetProperty("revision").GetInt64());
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayMeshCollection : ICollectionFixture<GatewayMeshFixture>
{
    public const string Name = "gateway-mesh";
}

using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using Npgsql;

namespace MeshPortal.Portal.Hosting;

/// <summary>Runs before the portal serves: schema, the state up to head, the first admin.</summary>
public static class PortalStartup
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<Marten.IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await EventStoreSchema.EnsureAsync(services.GetRequiredService<NpgsqlDataSource>(), ct);
        await AccountTableImport.RunAsync(services, ct);
        await services.GetRequiredService<EventLogTailer>().CatchUpAsync(ct);
        await services.GetRequiredService<AdminBootstrap>().RunAsync(ct);
    }
}

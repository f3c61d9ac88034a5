using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;

namespace MeshPortal.Portal.Hosting;

/// <summary>Runs before the portal serves: schema, the previous store's log, the state up to head, the first admin.</summary>
public static class PortalStartup
{
    /// <summary>The command-line switch that applies the schema (and carries a previous version's data over), then exits.</summary>
    public const string ApplySchemaSwitch = "--apply-schema";

    public static async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        await ApplySchemaAsync(services, ct);
        await services.GetRequiredService<EventLogTailer>().CatchUpAsync(ct);
        await services.GetRequiredService<AdminBootstrap>().RunAsync(ct);
        await services.GetRequiredService<Security.Ca.MeshCa>().LoadAsync(ct);
    }

    /// <summary>
    /// Idempotent, and safe with several replicas starting at once; an operator can run it alone
    /// ahead of a deploy, with the new version's settings, so the replicas start on a ready schema.
    /// </summary>
    public static async Task ApplySchemaAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<Marten.IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await SharedFleetSchema.ApplyAsync(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), ct);
        await services.GetRequiredService<LegacyEventImport>().RunAsync(ct);
        await AccountTableImport.RunAsync(services, ct);
    }
}

using JasperFx;
using JasperFx.Events;
using Marten;
using MeshPortal.Shared.Serialization;
using Weasel.Core;

namespace MeshPortal.Portal.Store;

/// <summary>
/// The portal's one persistence library: Marten on the PostgreSQL the portal is given. Events
/// (the config log) and documents (accounts, sessions, keys) share one store and one schema,
/// which Marten creates or updates on start.
/// </summary>
public static class MartenSetup
{
    /// <summary>The PostgreSQL schema that holds every Marten table of the portal.</summary>
    public const string Schema = "meshportal";

    public static IServiceCollection AddMeshStore(this IServiceCollection services)
    {
        // The schema is applied by PortalStartup, before anything reads, not by a hosted service.
        services.AddMarten(Configure).UseNpgsqlDataSource();
        return services;
    }

    /// <summary>The store's options, also used by tests and the bench to open the same store.</summary>
    public static void Configure(StoreOptions options)
    {
        options.DatabaseSchemaName = Schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.UseSystemTextJsonForSerialization(configure: o => MeshJson.Configure(o));
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        EventTypes.Register(options);
        MeshPortal.Portal.Auth.AccountDocuments.Configure(options);
    }
}

using Marten;
using MeshPortal.Portal.Store;
using Npgsql;

namespace MeshPortal.UnitTests.Portal.Store;

/// <summary>A fresh database with the portal's schema, on the PostgreSQL that ./mesh test started.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly string _server = Environment.GetEnvironmentVariable("MESH_TEST_PG")
        ?? throw new InvalidOperationException("MESH_TEST_PG is not set: run the tests with ./mesh test, which starts PostgreSQL");

    private readonly string _name = $"unit_{Guid.NewGuid():N}"[..28];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>Marten on this database, configured as the portal configures it.</summary>
    public IDocumentStore Store { get; private set; } = null!;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;

    public async Task InitializeAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE {_name}");
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_server) { Database = _name, MaxPoolSize = 100 }.ConnectionString);
        Store = OpenStore(DataSource);
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public static IDocumentStore OpenStore(NpgsqlDataSource dataSource) => DocumentStore.For(o =>
    {
        MartenSetup.Configure(o);
        o.Connection(dataSource);
    });

    public async Task DisposeAsync()
    {
        Store.Dispose();
        await DataSource.DisposeAsync();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

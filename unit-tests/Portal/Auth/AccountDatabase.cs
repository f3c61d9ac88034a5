using Marten;
using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Store;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MeshPortal.UnitTests.Portal.Auth;

/// <summary>A fresh database with the portal's Marten store, and the account stores on it.</summary>
public sealed class AccountDatabase : IAsyncLifetime
{
    private readonly string _server = Environment.GetEnvironmentVariable("MESH_TEST_PG")
        ?? throw new InvalidOperationException("MESH_TEST_PG is not set: run the tests with ./mesh test, which starts PostgreSQL");

    private readonly string _name = $"acct_{Guid.NewGuid():N}"[..28];

    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public DocumentStore Store { get; private set; } = null!;
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    public AccountStore Accounts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE {_name}");
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_server) { Database = _name, MaxPoolSize = 50 }.ConnectionString);
        Store = DocumentStore.For(o =>
        {
            o.Connection(DataSource);
            MartenSetup.Configure(o);
        });
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        Accounts = new AccountStore(Store, Time);
    }

    public async Task DisposeAsync()
    {
        Store.Dispose();
        await DataSource.DisposeAsync();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

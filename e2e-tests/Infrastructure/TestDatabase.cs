using Npgsql;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>A fresh database on the PostgreSQL server that ./mesh test started (MESH_TEST_PG).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _server;

    private TestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string Server => Environment.GetEnvironmentVariable("MESH_TEST_PG")
        ?? throw new InvalidOperationException("MESH_TEST_PG is not set: run the tests with ./mesh test, which starts PostgreSQL");

    public static async Task<TestDatabase> CreateAsync(string prefix)
    {
        var db = new TestDatabase(Server, $"{prefix}_{Guid.NewGuid():N}"[..30]);
        await db.ExecuteOnServerAsync($"CREATE DATABASE {db.Name}");
        return db;
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
}

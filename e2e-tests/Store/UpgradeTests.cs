using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using Npgsql;

namespace MeshPortal.E2ETests.Store;

/// <summary>
/// A database written by the previous version (the hand-written <c>mesh_events</c> log) started
/// under this one: History, the config at each revision and its hash are what the old log says.
/// </summary>
public sealed class UpgradeTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static ServiceConfig Service(string name, params string[] subsets) => new()
    {
        Name = name,
        Subsets = [.. subsets.Select(s => new SubsetConfig { Name = s, Instances = [new InstanceConfig { Id = $"{name}-{s}-1", Address = "http://127.0.0.1:9", Node = "n1" }] })],
    };

    private static RouteConfig Route(string id, params (string Service, string Subset, int Weight)[] backends) => new()
    {
        Id = id,
        Match = new RouteMatch { Hosts = [$"{id}.mesh"] },
        Backends = [.. backends.Select(b => new BackendRef { Service = b.Service, Subset = b.Subset, Weight = b.Weight })],
    };

    /// <summary>The old log: position, stream, stream version, type, data, actor, reason.</summary>
    private static readonly (string Stream, long Version, string Type, object Data, string Actor, string? Reason)[] OldLog =
    [
        ("service-catalog", 1, "ServiceDefined", new { service = Service("catalog", "v1", "v2") }, "alice", "catalog online"),
        ("service-frontend", 1, "ServiceDefined", new { service = Service("frontend", "v1") }, "alice", null),
        ("route-catalog", 1, "RouteDefined", new { route = Route("catalog", ("catalog", "v1", 100)) }, "bob", "first route"),
        ("account-carol", 1, "UserCreated", new { name = "carol", role = "operator" }, "admin", "new colleague"),
        ("route-catalog", 2, "RouteSplitChanged", new { routeId = "catalog", backends = Route("catalog", ("catalog", "v1", 70), ("catalog", "v2", 30)).Backends }, "carol", "canary"),
        ("route-frontend", 1, "RouteDefined", new { route = Route("frontend", ("frontend", "v1", 100)) }, "bob", null),
        ("route-frontend", 2, "RouteRemoved", new { routeId = "frontend" }, "carol", "not needed"),
        ("service-frontend", 2, "ServiceRemoved", new { name = "frontend" }, "alice", "decommissioned"),
        ("service-frontend", 3, "ServiceDefined", new { service = Service("frontend", "v2"), again = true }, "bob", "back again"),
    ];

    /// <summary>What the old log folds to at each revision (account events change nothing).</summary>
    private static readonly Dictionary<long, MeshConfig> Expected = new()
    {
        [1] = new() { Services = [Service("catalog", "v1", "v2")] },
        [3] = new() { Services = [Service("catalog", "v1", "v2"), Service("frontend", "v1")], Routes = [Route("catalog", ("catalog", "v1", 100))] },
        [4] = new() { Services = [Service("catalog", "v1", "v2"), Service("frontend", "v1")], Routes = [Route("catalog", ("catalog", "v1", 100))] },
        [6] = new()
        {
            Services = [Service("catalog", "v1", "v2"), Service("frontend", "v1")],
            Routes = [Route("catalog", ("catalog", "v1", 70), ("catalog", "v2", 30)), Route("frontend", ("frontend", "v1", 100))],
        },
        [8] = new() { Services = [Service("catalog", "v1", "v2")], Routes = [Route("catalog", ("catalog", "v1", 70), ("catalog", "v2", 30))] },
        [9] = new() { Services = [Service("catalog", "v1", "v2"), Service("frontend", "v2")], Routes = [Route("catalog", ("catalog", "v1", 70), ("catalog", "v2", 30))] },
    };

    [Fact]
    public async Task Start_DatabaseOfThePreviousVersion_HistoryRevisionsAndHashesCarriedOver()
    {
        await using var db = await TestDatabase.CreateAsync("upgrade");
        await WriteOldLogAsync(db.ConnectionString);

        await using var portal = await LonePortal.StartAsync(db.ConnectionString);

        var history = JsonDocument.Parse(await portal.Api.Http.GetStringAsync("/api/history?after=0&limit=20")).RootElement.GetProperty("events").EnumerateArray().ToList();
        var carried = history.Take(OldLog.Length).ToList();
        Assert.Equal(Enumerable.Range(1, OldLog.Length).Select(i => (long)i), carried.Select(e => e.GetProperty("revision").GetInt64()));
        Assert.Equal(OldLog.Select(e => (e.Stream, e.Version, e.Actor, e.Reason)),
            carried.Select(e => (e.GetProperty("stream").GetString()!, e.GetProperty("streamVersion").GetInt64(), e.GetProperty("actor").GetString()!, e.TryGetProperty("reason", out var reason) ? reason.GetString() : null)));
        Assert.Equal(Enumerable.Range(1, OldLog.Length).Select(i => Start.AddMinutes(i)), carried.Select(e => e.GetProperty("time").GetDateTimeOffset()));
        Assert.Equal("user carol created (operator)", carried[3].GetProperty("summary").GetString());
        Assert.Equal("service 'frontend' created again: subsets v2 (1 instance)", carried[8].GetProperty("summary").GetString());

        // The new portal's own first admin is recorded after them, at the head, without moving it.
        Assert.Equal(OldLog.Length, (await portal.Api.RevisionAsync()).Revision);
        Assert.All(history.Skip(OldLog.Length), e => Assert.Equal(OldLog.Length, e.GetProperty("revision").GetInt64()));

        foreach (var (revision, config) in Expected)
        {
            var at = JsonDocument.Parse(await portal.Api.Http.GetStringAsync($"/api/revisions/{revision}")).RootElement;
            Assert.Equal(MeshSnapshot.Create(revision, config).Hash, at.GetProperty("hash").GetString());
        }

        Assert.Equal(MeshSnapshot.Create(9, Expected[9]).Hash, (await portal.Api.RevisionAsync()).Hash);
        Assert.Equal(0L, await ScalarAsync(db.ConnectionString, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'mesh_events'"));
    }

    private static async Task WriteOldLogAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using (var create = new NpgsqlCommand("""
            CREATE TABLE mesh_events (
                position bigint PRIMARY KEY, stream_id text NOT NULL, stream_version bigint NOT NULL, event_type text NOT NULL,
                data jsonb NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL, UNIQUE (stream_id, stream_version));
            CREATE TABLE mesh_snapshots (revision bigint PRIMARY KEY, state jsonb NOT NULL, created_at timestamptz NOT NULL);
            """, conn))
        {
            await create.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < OldLog.Length; i++)
        {
            var e = OldLog[i];
            await using var insert = new NpgsqlCommand(
                "INSERT INTO mesh_events VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)", conn);
            insert.Parameters.AddWithValue((long)i + 1);
            insert.Parameters.AddWithValue(e.Stream);
            insert.Parameters.AddWithValue(e.Version);
            insert.Parameters.AddWithValue(e.Type);
            insert.Parameters.AddWithValue(JsonSerializer.Serialize(e.Data, MeshJson.Options));
            insert.Parameters.AddWithValue(JsonSerializer.Serialize(new { actor = e.Actor, reason = e.Reason, correlationId = $"c{i + 1}", clientAddress = "10.0.0.7" }));
            insert.Parameters.AddWithValue(Start.AddMinutes(i + 1));
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}

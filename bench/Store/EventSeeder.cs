using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace MeshPortal.Bench.Store;

/// <summary>
/// Fills the log with a plausible history: services and routes first, then mostly split changes,
/// some re-registrations and route edits, by a handful of actors. Bulk-loaded with COPY into the
/// previous store's table (appending 100,000 events one by one would take minutes and measure
/// nothing asked for), which the portal's own upgrade then carries into Marten.
/// </summary>
internal sealed class EventSeeder(int services, int routes)
{
    public static readonly string[] Actors = ["alice", "bob", "carol", "deploy-bot"];

    private readonly Random _random = new(42);
    private readonly Dictionary<string, long> _versions = [];

    /// <summary>The previous store's log table, as its schema created it.</summary>
    private const string LegacyDdl = """
        CREATE TABLE mesh_events (
            position bigint PRIMARY KEY, stream_id text NOT NULL, stream_version bigint NOT NULL, event_type text NOT NULL,
            data jsonb NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL, UNIQUE (stream_id, stream_version))
        """;

    public string RouteId(int i) => $"route-{i:D3}";

    public async Task SeedAsync(NpgsqlDataSource dataSource, int events)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand(LegacyDdl, conn))
        {
            await create.ExecuteNonQueryAsync();
        }

        var start = DateTimeOffset.UtcNow.AddDays(-30);
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY mesh_events (position, stream_id, stream_version, event_type, data, metadata, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (long position = 1; position <= events; position++)
            {
                var (stream, e) = Next(position);
                var version = _versions[stream] = _versions.GetValueOrDefault(stream) + 1;
                var metadata = new EventMetadata { Actor = Actors[_random.Next(Actors.Length)], Reason = "benchmark history", ClientAddress = "127.0.0.1" };
                await copy.StartRowAsync();
                await copy.WriteAsync(position, NpgsqlDbType.Bigint);
                await copy.WriteAsync(stream, NpgsqlDbType.Text);
                await copy.WriteAsync(version, NpgsqlDbType.Bigint);
                await copy.WriteAsync(e.GetType().Name, NpgsqlDbType.Text);
                await copy.WriteAsync(System.Text.Json.JsonSerializer.Serialize(e, e.GetType(), MeshJson.Options), NpgsqlDbType.Jsonb);
                await copy.WriteAsync(System.Text.Json.JsonSerializer.Serialize(metadata, MeshJson.Options), NpgsqlDbType.Jsonb);
                await copy.WriteAsync(start.AddSeconds(position * 20), NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE mesh_events", conn);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The stream version of <paramref name="stream"/> after seeding, for appends that follow.</summary>
    public long VersionOf(string stream) => _versions.GetValueOrDefault(stream);

    private (string Stream, MeshEvent Event) Next(long position)
    {
        if (position <= services)
        {
            return Service((int)position - 1);
        }

        if (position <= services + routes)
        {
            return Route((int)position - services - 1);
        }

        var roll = _random.Next(100);
        return roll switch
        {
            < 80 => Split(_random.Next(routes)),
            < 95 => Service(_random.Next(services)),
            _ => Route(_random.Next(routes)),
        };
    }

    private (string, MeshEvent) Service(int s)
    {
        var name = ServiceName(s);
        var service = new ServiceConfig
        {
            Name = name,
            Owner = "team-" + (s % 7),
            Subsets = [.. new[] { "v1", "v2" }.Select(subset => new SubsetConfig
            {
                Name = subset,
                Instances = [.. Enumerable.Range(0, 1 + _random.Next(4)).Select(i => new InstanceConfig
                {
                    Id = $"{name}-{subset}-{i}",
                    Address = $"http://10.{s}.{i}.{_random.Next(1, 250)}:8080",
                    Node = $"n{1 + i % 3}",
                })],
            })],
        };
        return (MeshEvents.ServiceStream(name), new ServiceDefined(service));
    }

    private (string, MeshEvent) Route(int r) => (MeshEvents.RouteStream(RouteId(r)), new RouteDefined(new RouteConfig
    {
        Id = RouteId(r),
        Match = new RouteMatch { Hosts = [$"{ServiceName(r % services)}.mesh"], PathPrefix = $"/r{r}" },
        Backends = Backends(r, 50),
        Policies = new RoutePolicies { TimeoutMs = 1000 + _random.Next(5) * 1000 },
    }));

    public (string Stream, RouteSplitChanged Event) Split(int r) =>
        (MeshEvents.RouteStream(RouteId(r)), new RouteSplitChanged(RouteId(r), Backends(r, _random.Next(101))));

    private IReadOnlyList<BackendRef> Backends(int r, int v1Weight) =>
    [
        new BackendRef { Service = ServiceName(r % services), Subset = "v1", Weight = v1Weight },
        new BackendRef { Service = ServiceName(r % services), Subset = "v2", Weight = 100 - v1Weight },
    ];

    private static string ServiceName(int s) => $"svc-{s:D3}";
}

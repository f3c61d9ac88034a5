// Event-store benchmarks on a throw-away database of the given PostgreSQL server.
//   --pg "Host=…;Port=…;Username=postgres;Database=postgres" --events 100000 --samples 200 --json PATH
using MeshPortal.Bench.Common;
using MeshPortal.Bench.Store;
using Npgsql;

var options = new ConfigurationBuilder().AddCommandLine(args).Build();
string Required(string name) => options[name] ?? throw new ArgumentException($"--{name} is required");
int Number(string name) => int.Parse(Required(name), System.Globalization.CultureInfo.InvariantCulture);

var server = Required("pg");
var database = $"bench_store_{Environment.ProcessId}";
await using (var admin = NpgsqlDataSource.Create(server))
{
    await using var create = admin.CreateCommand($"CREATE DATABASE {database}");
    await create.ExecuteNonQueryAsync();
}

try
{
    await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    using var documents = Marten.DocumentStore.For(o =>
    {
        MeshPortal.Portal.Store.MartenSetup.Configure(o);
        o.Connection(dataSource);
    });
    var result = await new StoreBench(dataSource, documents, Number("events"), Number("samples")).RunAsync(stop.Token);
    await BenchJson.WriteAsync(Required("json"), result);
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await using var admin = NpgsqlDataSource.Create(server);
    await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    await drop.ExecuteNonQueryAsync();
}

return 0;

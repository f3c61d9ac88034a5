using MeshPortal.E2ETests.Infrastructure;
using Npgsql;

namespace MeshPortal.E2ETests.Store;

/// <summary>An operator applies the schema ahead of a deploy; the portal then starts on it.</summary>
public sealed class ApplySchemaTests
{
    [Fact]
    public async Task ApplySchema_FreshDatabase_CreatesTheSchemaExitsAndThePortalStartsOnIt()
    {
        await using var db = await TestDatabase.CreateAsync("schema");
        await using var apply = TestProcess.StartDotnet("apply-schema", Paths.Portal, ["--apply-schema"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Mesh"] = db.ConnectionString,
            ["Portal__DataProtection__Key"] = PortalProcess.NewKeyProtectionKey(),
        });

        Assert.Equal(0, await apply.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("schema applied", apply.Output);
        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'meshportal'", conn);
            Assert.True((long)(await tables.ExecuteScalarAsync())! > 0, "no table in schema meshportal");
        }

        await using var portal = await LonePortal.StartAsync(db.ConnectionString);
        Assert.Equal(0, (await portal.Api.RevisionAsync()).Revision);
    }
}

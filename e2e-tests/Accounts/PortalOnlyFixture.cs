using MeshPortal.E2ETests.Infrastructure;
using Npgsql;

namespace MeshPortal.E2ETests.Accounts;

/// <summary>
/// One portal on a fresh database, no gateways: the first admin's password comes from
/// MESH_ADMIN_PASSWORD and no credentials file is written. Its own process, so login throttling
/// here cannot lock out the shared mesh's tests (they all come from 127.0.0.1).
/// </summary>
public sealed class PortalOnlyFixture : IAsyncLifetime
{
    public string PortalUrl { get; } = $"http://127.0.0.1:{Ports.Free()}";
    public string AdminPassword { get; } = $"adm-{Guid.NewGuid():N}";
    public TestProcess Portal { get; private set; } = null!;
    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("acct");
        Portal = PortalProcess.Start("portal", PortalUrl, Database.ConnectionString, null,
            ("Portal__LoginThrottle__FreeFailuresPerAddress", "1000"), ("MESH_ADMIN_PASSWORD", AdminPassword));
        using var http = new HttpClient();
        await Poll.UntilAsync(() => MeshFixture.IsOkAsync(http, $"{PortalUrl}/readyz"), TimeSpan.FromSeconds(60), () => Portal.Output);
    }

    public async Task<IReadOnlyList<string>> DataProtectionKeysAsync()
    {
        await using var conn = new NpgsqlConnection(Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT data->>'xml' FROM meshportal.mt_doc_mesh_dataprotection_key", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = new List<string>();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    public async Task DisposeAsync()
    {
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using Npgsql;

namespace MeshPortal.E2ETests.Accounts;

/// <summary>
/// The document-based portal started on a database the previous version wrote: its account
/// tables (created here by raw SQL exactly as that version did, rows as it inserted them) are
/// carried into documents on the first start and everything in them keeps working.
/// </summary>
public sealed class AccountUpgradeTests
{
    /// <summary>The account tables as version 3b42218 created them.</summary>
    private const string OldTables = """
        CREATE TABLE mesh_dataprotection_keys (name text PRIMARY KEY, xml text NOT NULL);
        CREATE TABLE mesh_users (name text PRIMARY KEY, password_hash text NOT NULL, role text NOT NULL, created_at timestamptz NOT NULL);
        CREATE TABLE mesh_api_keys (id text PRIMARY KEY, key_hash text NOT NULL UNIQUE, user_name text NOT NULL REFERENCES mesh_users(name),
            created_at timestamptz NOT NULL, revoked_at timestamptz);
        CREATE TABLE mesh_gateway_tokens (id text PRIMARY KEY, node text NOT NULL, token_hash text NOT NULL UNIQUE,
            created_by text NOT NULL, created_at timestamptz NOT NULL, revoked_at timestamptz);
        """;

    [Fact]
    public async Task FirstStart_OldAccountTables_OldPasswordKeyTokenAndDataProtectionKeyWork()
    {
        await using var db = await TestDatabase.CreateAsync("upg");
        var (password, apiKey, gatewayToken, dpKeyId) = ("old admin password", $"mpk_{Guid.NewGuid():N}", $"mgt_{Guid.NewGuid():N}", Guid.NewGuid());
        await ExecuteAsync(db, OldTables);
        await ExecuteAsync(db, "INSERT INTO mesh_users VALUES ('admin', $1, 'admin', now() - interval '30 days'), ('olga', $2, 'viewer', now())",
            LegacyHash(password), LegacyHash("olga's password"));
        await ExecuteAsync(db, "INSERT INTO mesh_api_keys VALUES ('key1', $1, 'admin', now(), NULL)", Sha256(apiKey));
        await ExecuteAsync(db, "INSERT INTO mesh_gateway_tokens VALUES ('tok1', 'n1', $1, 'admin', now(), NULL)", Sha256(gatewayToken));
        await ExecuteAsync(db, "INSERT INTO mesh_dataprotection_keys VALUES ($1, $2)", $"key-{dpKeyId}", DataProtectionKey(dpKeyId));

        var url = $"http://127.0.0.1:{Ports.Free()}";
        await using var portal = PortalProcess.Start("upgraded-portal", url, db.ConnectionString);
        using var api = new MeshApi(url, apiKey);
        await Poll.UntilAsync(() => MeshFixture.IsOkAsync(api.Http, $"{url}/readyz"), TimeSpan.FromSeconds(60), () => portal.Output);

        using var login = new BrowserLogin(url);
        await login.SignInAsync("admin", password);
        using (var revision = await login.Http.GetAsync("/api/revision"))
        {
            Assert.Equal(HttpStatusCode.OK, revision.StatusCode);
        }

        var users = await GetJsonAsync(api, "/api/users");
        Assert.Equal(["admin:admin", "olga:viewer"], users.EnumerateArray().Select(u => $"{u.GetProperty("name")}:{u.GetProperty("role")}"));
        var token = Assert.Single((await GetJsonAsync(api, "/api/gateway-tokens")).EnumerateArray());
        Assert.Equal(("tok1", "n1"), (token.GetProperty("id").GetString(), token.GetProperty("node").GetString()));
        await using (var gateway = await FleetHubClient.ConnectAsync(url, gatewayToken))
        {
            var head = await api.RevisionAsync();
            await gateway.HelloAsync("n1", "gw-n1", head.Revision, head.Hash);
            await Poll.UntilAsync(async () => (await api.GatewaysAsync()).Any(g => g.Node == "n1" && g.State == "SYNCED"),
                TimeSpan.FromSeconds(10), () => portal.Output);
        }

        using (var history = await api.Http.GetAsync("/api/history"))
        {
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        }

        // The old key signed the cookie and the antiforgery token: the key ring needed no new key.
        Assert.Equal([$"key-{dpKeyId}"], await QueryAsync(db, "SELECT id FROM meshportal.mt_doc_mesh_dataprotection_key"));
        Assert.Equal(["2"], await QueryAsync(db, "SELECT count(*)::text FROM mesh_users"));
        Assert.Contains("Carried the previous version's account tables into documents: 2 users, 1 API keys, 1 gateway tokens", portal.Output);
    }

    /// <summary>A password hash as the first version wrote it.</summary>
    private static string LegacyHash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var derived = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1000, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";
    }

    /// <summary>How the portal hashes keys and tokens (Secrets.HashKey).</summary>
    private static string Sha256(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A data-protection key as the key manager writes it when no key-encryption key is set.</summary>
    private static string DataProtectionKey(Guid id)
    {
        var now = DateTimeOffset.UtcNow;
        return $"""
            <key id="{id}" version="1"><creationDate>{now.AddDays(-1):O}</creationDate><activationDate>{now.AddDays(-1):O}</activationDate><expirationDate>{now.AddDays(80):O}</expirationDate><descriptor deserializerType="Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel.AuthenticatedEncryptorDescriptorDeserializer, Microsoft.AspNetCore.DataProtection, Version=10.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60"><descriptor><encryption algorithm="AES_256_CBC" /><validation algorithm="HMACSHA256" /><masterKey p4:requiresEncryption="true" xmlns:p4="http://schemas.asp.net/2015/03/dataProtection"><!-- Warning: the key below is in an unencrypted form. --><value>{Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))}</value></masterKey></descriptor></descriptor></key>
            """;
    }

    private static async Task<JsonElement> GetJsonAsync(MeshApi api, string path)
    {
        using var response = await api.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task ExecuteAsync(TestDatabase db, string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var arg in args)
        {
            cmd.Parameters.AddWithValue(arg);
        }

        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<IReadOnlyList<string>> QueryAsync(TestDatabase db, string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

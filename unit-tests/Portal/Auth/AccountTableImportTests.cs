using System.Security.Cryptography;
using Marten;
using MeshPortal.Portal.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshPortal.UnitTests.Portal.Auth;

public sealed class AccountTableImportTests
{
    /// <summary>The account tables as the previous version created them (mesh_sessions only in unreleased builds).</summary>
    private const string OldTables = """
        CREATE TABLE mesh_dataprotection_keys (name text PRIMARY KEY, xml text NOT NULL);
        CREATE TABLE mesh_users (name text PRIMARY KEY, password_hash text NOT NULL, role text NOT NULL, created_at timestamptz NOT NULL);
        CREATE TABLE mesh_api_keys (id text PRIMARY KEY, key_hash text NOT NULL UNIQUE, user_name text NOT NULL REFERENCES mesh_users(name),
            created_at timestamptz NOT NULL, revoked_at timestamptz);
        CREATE TABLE mesh_sessions (id_hash text PRIMARY KEY, user_name text NOT NULL REFERENCES mesh_users(name) ON DELETE CASCADE,
            created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL);
        CREATE TABLE mesh_gateway_tokens (id text PRIMARY KEY, node text NOT NULL, token_hash text NOT NULL UNIQUE,
            created_by text NOT NULL, created_at timestamptz NOT NULL, revoked_at timestamptz);
        """;

    [Fact]
    public async Task RunAsync_OldTablesTwoReplicasAtOnce_CopiedOnceAndAllUsable()
    {
        var db = new AccountDatabase();
        await db.InitializeAsync();
        try
        {
            var now = db.Time.GetUtcNow();
            await db.ExecuteAsync(OldTables);
            await db.ExecuteAsync($"""
                INSERT INTO mesh_users VALUES ('admin', '{LegacyHash("old admin password")}', 'admin', now()), ('bob', '{Passwords.Hash("bob password")}', 'viewer', now());
                INSERT INTO mesh_api_keys VALUES ('k1', '{Secrets.HashKey("mpk_old")}', 'admin', now(), NULL), ('k2', '{Secrets.HashKey("mpk_revoked")}', 'bob', now(), now());
                INSERT INTO mesh_gateway_tokens VALUES ('t1', 'n1', '{Secrets.HashKey("mgt_old")}', 'admin', now(), NULL);
                INSERT INTO mesh_sessions VALUES ('{Secrets.HashKey("live")}', 'bob', now(), '{now.AddHours(1):O}'), ('{Secrets.HashKey("gone")}', 'bob', now(), '{now.AddHours(-1):O}');
                INSERT INTO mesh_dataprotection_keys VALUES ('key-1', '<key id="1"><aesGcmEncryptedKey>abc</aesGcmEncryptedKey></key>');
                """);
            var services = new ServiceCollection()
                .AddSingleton(db.DataSource)
                .AddSingleton<IDocumentStore>(db.Store)
                .AddSingleton<TimeProvider>(db.Time)
                .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
                .BuildServiceProvider();

            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => AccountTableImport.RunAsync(services, default))));
            await AccountTableImport.RunAsync(services, default);

            var accounts = db.Accounts;
            Assert.Equal([new UserAccount("admin", Roles.Admin), new UserAccount("bob", Roles.Viewer)], await accounts.ListUsersAsync(default));
            Assert.Equal(new UserAccount("admin", Roles.Admin), await accounts.VerifyPasswordAsync("admin", "old admin password", default));
            Assert.Equal(new UserAccount("bob", Roles.Viewer), await accounts.VerifyPasswordAsync("bob", "bob password", default));
            Assert.Equal(new UserAccount("admin", Roles.Admin), await accounts.FindByApiKeyAsync("mpk_old", default));
            Assert.Null(await accounts.FindByApiKeyAsync("mpk_revoked", default));
            Assert.Equal(new GatewayTokenCheck("t1", "n1", null), await accounts.CheckGatewayTokenAsync("mgt_old", default));
            var sessions = new SessionStore(db.Store, db.Time, Microsoft.Extensions.Options.Options.Create(new SecurityOptions()));
            Assert.Equal(new SessionUser("bob", Roles.Viewer), await sessions.ValidateAsync("live", default));
            Assert.Null(await sessions.ValidateAsync("gone", default));
            var dpKey = Assert.Single(new MeshPortal.Portal.Hosting.PostgresXmlRepository(db.Store).GetAllElements());
            Assert.Equal("abc", dpKey.Value);

            await using var query = db.Store.QuerySession();
            var marker = await query.LoadAsync<AccountUpgradeMarker>(AccountUpgradeMarker.TheId);
            Assert.Equal((2, 2, 1, 1, 1), (marker!.Users, marker.ApiKeys, marker.GatewayTokens, marker.Sessions, marker.DataProtectionKeys));
            await using var count = db.DataSource.CreateCommand("SELECT count(*) FROM mesh_users");
            Assert.Equal(2L, await count.ExecuteScalarAsync());
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    /// <summary>A password hash as the first version wrote it.</summary>
    private static string LegacyHash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var derived = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1000, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";
    }
}

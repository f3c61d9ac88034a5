using System.Net;
using System.Text;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Accounts;

public sealed class SignInSecurityTests(PortalOnlyFixture portal) : IClassFixture<PortalOnlyFixture>
{
    [Fact]
    public async Task FirstAdmin_PasswordFromEnvironment_SignsInAndNoSecretLogged()
    {
        using var login = new BrowserLogin(portal.PortalUrl);
        await login.SignInAsync("admin", portal.AdminPassword);

        using var revision = await login.Http.GetAsync("/api/revision");
        Assert.Equal(HttpStatusCode.OK, revision.StatusCode);
        Assert.Contains("Created the first admin 'admin' with the password from MESH_ADMIN_PASSWORD", portal.Portal.Output);
        Assert.DoesNotContain(portal.AdminPassword, portal.Portal.Output);
        Assert.DoesNotContain("mpk_", portal.Portal.Output);
    }

    [Fact]
    public async Task Login_SixthWrongPassword_429WithRetryAfterAndLogLineWithoutPassword()
    {
        var user = $"nobody-{Guid.NewGuid():N}"[..20];
        var password = $"guess-{Guid.NewGuid():N}";
        using var login = new BrowserLogin(portal.PortalUrl);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await login.PostAsync(user, password);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Wrong user name or password", await wrong.Content.ReadAsStringAsync());
        }

        using var throttled = await login.PostAsync(user, password);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var retryAfter = throttled.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
        Assert.InRange(retryAfter.TotalSeconds, 1, 60);
        Assert.Contains($"Try again in {(int)retryAfter.TotalSeconds} seconds", await throttled.Content.ReadAsStringAsync());
        // The console logger writes from a queue of its own: wait for the lines to come through.
        await Poll.UntilAsync(() => Task.FromResult(portal.Portal.Output.Contains($"Sign-in for user '{user}' from 127.0.0.1 refused: too many failures")),
            TimeSpan.FromSeconds(10), () => portal.Portal.Output);
        Assert.Contains($"Failed sign-in for user '{user}' from 127.0.0.1", portal.Portal.Output);
        Assert.DoesNotContain(password, portal.Portal.Output);
    }

    [Fact]
    public async Task Login_UnknownVersusKnownUser_MedianTimesWithinTwoTimes()
    {
        using var admin = new BrowserLogin(portal.PortalUrl);
        await admin.SignInAsync("admin", portal.AdminPassword);
        var known = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var name = $"known-{Guid.NewGuid():N}"[..16];
            using var created = await admin.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/users")
            {
                Content = new StringContent($$"""{"name":"{{name}}","password":"pw-{{Guid.NewGuid():N}}","role":"viewer"}""", Encoding.UTF8, "application/json"),
                Headers = { { "Origin", portal.PortalUrl } },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            known.Add(name);
        }

        using var login = new BrowserLogin(portal.PortalUrl);
        await TimeAsync(login, "warm-up", "x");
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        foreach (var name in known)
        {
            knownTimes.Add(await TimeAsync(login, name, "wrong-password"));
            unknownTimes.Add(await TimeAsync(login, $"ghost-{Guid.NewGuid():N}"[..16], "wrong-password"));
        }

        var (k, u) = (Median(knownTimes), Median(unknownTimes));
        Assert.True(k < 2 * u && u < 2 * k, $"median known {k:0} ms, unknown {u:0} ms");
    }

    [Fact]
    public async Task DataProtectionKeys_InDatabase_EncryptedWithoutMasterKeyInClear()
    {
        using var login = new BrowserLogin(portal.PortalUrl);
        await login.SignInAsync("admin", portal.AdminPassword);

        var keys = await portal.DataProtectionKeysAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.DoesNotContain("<masterKey", xml);
            Assert.Contains("aesGcmEncryptedKey", xml);
        });
    }

    [Fact]
    public async Task Start_ProductionWithoutKeyProtection_ExitsNamingTheSetting()
    {
        await using var process = TestProcess.StartDotnet("portal-unprotected", Paths.Portal, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}",
            ["ConnectionStrings__Mesh"] = portal.Database.ConnectionString,
        });

        // Waiting for the exit itself also waits for the output to be read to its end (HasExited alone raced it).
        Assert.NotEqual(0, await process.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Portal:DataProtection:KeyFile", process.Output);
    }

    private static async Task<double> TimeAsync(BrowserLogin login, string user, string password)
    {
        using var response = await login.PostAsync(user, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return login.LastPostDuration.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Security;

/// <summary>
/// Behind an ingress that terminates TLS, the portal believes X-Forwarded-Proto only from
/// Portal:Proxy:TrustedNetworks, and then marks its cookies Secure.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Login_HttpsFromTrustedProxy_SetsSecureCookie()
    {
        await using var portal = await StartedPortal.StartAsync("127.0.0.1/32");

        Assert.True(IsSecure(await AntiforgeryCookieAsync(portal.Url, "https")));
        Assert.False(IsSecure(await AntiforgeryCookieAsync(portal.Url, null)));
    }

    [Fact]
    public async Task Login_HttpsFromUntrustedAddress_IgnoresTheHeader()
    {
        await using var portal = await StartedPortal.StartAsync("10.0.0.0/8");

        Assert.False(IsSecure(await AntiforgeryCookieAsync(portal.Url, "https")));
    }

    private static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Skip(1).Any(attribute => attribute.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    private static async Task<string> AntiforgeryCookieAsync(string portalUrl, string? forwardedProto)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{portalUrl}/login");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        }

        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return Assert.Single(cookies, c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
    }

    private sealed class StartedPortal : IAsyncDisposable
    {
        private TestDatabase? _database;
        private TestProcess? _process;

        public string Url { get; } = $"http://127.0.0.1:{Ports.Free()}";

        public static async Task<StartedPortal> StartAsync(string trustedNetwork)
        {
            var portal = new StartedPortal();
            try
            {
                portal._database = await TestDatabase.CreateAsync("proxy");
                portal._process = PortalProcess.Start("portal", portal.Url, portal._database.ConnectionString, null,
                    ("Portal__Proxy__TrustedNetworks__0", trustedNetwork), ("MESH_ADMIN_PASSWORD", $"adm-{Guid.NewGuid():N}"));
                using var http = new HttpClient();
                await Poll.UntilAsync(() => MeshFixture.IsOkAsync(http, $"{portal.Url}/readyz"), TimeSpan.FromSeconds(60), () => portal._process!.Output);
                return portal;
            }
            catch
            {
                await portal.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}

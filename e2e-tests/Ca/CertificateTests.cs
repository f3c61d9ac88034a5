using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MeshPortal.E2ETests.Gateway;
using MeshPortal.E2ETests.Infrastructure;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.SignalR;

namespace MeshPortal.E2ETests.Ca;

/// <summary>The mesh CA: gateways get certificates naming their node, renew them under load, and lose them with their token.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(CaMeshCollection.Name)]
public sealed class CertificateTests(CaMeshFixture fixture)
{
    private MeshFixture Mesh => fixture.Mesh;

    [Fact]
    public async Task Gateways_EachGetACertificateNamingItsNode_SignedByTheCaThePortalServes()
    {
        using var ca = X509Certificate2.CreateFromPem(await Mesh.Api.Http.GetStringAsync("/api/mesh-ca"));

        foreach (var gateway in Mesh.Gateways)
        {
            using var certificate = await CertificateOfAsync(gateway);
            Assert.Equal([$"spiffe://meshportal.local/node/{gateway.Node}"], MeshIdentity.UrisOf(certificate));
            Assert.Equal($"CN={gateway.Node}", certificate.Subject);
            Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalSeconds, 6, 7);
            Assert.True(Chains(certificate, ca), $"{gateway.Node}'s certificate does not chain to the portal's CA");
            Assert.DoesNotContain("PRIVATE KEY", gateway.Process.Output);
        }

        Assert.DoesNotContain("PRIVATE KEY", Mesh.Portal.Output);
        await Poll.UntilAsync(async () => (await GatewayRowsAsync()).Where(r => r.GetProperty("state").GetString() != "DISCONNECTED")
            .All(r => r.TryGetProperty("certificateNotAfter", out var at) && at.ValueKind == JsonValueKind.String && at.GetDateTimeOffset() > DateTimeOffset.UtcNow),
            TimeSpan.FromSeconds(10), () => "gateways without a live certificate: " + string.Join(", ", GatewayRowsAsync().Result));
    }

    [Fact]
    public async Task Certificates_ShortLifetime_RenewedUnderSteadyLoadWithoutAFailedRequest()
    {
        var n1 = Mesh.Gateways.Single(g => g.Node == "n1");
        var serials = new HashSet<string>();
        // Warmed first: on a busy machine a cold shop's first calls can take longer than the load's timeout.
        using (var warm = new SteadyLoad([.. Mesh.Gateways.Select(g => g.ProxyUrl)]))
        {
            await warm.RunFlatOutAsync(30, 3);
        }

        // The load crosses between nodes: catalog v1 runs on n2, v2 on n3, and catalog calls inventory on n1.
        var hopsBefore = await HopsOutAsync();
        using var load = new SteadyLoad([.. Mesh.Gateways.Select(g => g.ProxyUrl)]);
        var run = load.RunAsync(rps: 50, requests: 700);
        while (!run.IsCompleted)
        {
            using (var certificate = await CertificateOfAsync(n1))
            {
                serials.Add(certificate.SerialNumber);
            }

            await Task.Delay(300);
        }

        await run;
        Assert.Equal(700, load.Completed);
        Assert.DoesNotContain(load.Outcomes, o => o.Failed);
        var hops = await HopsOutAsync() - hopsBefore;
        Assert.True(hops >= 700, $"only {hops} requests crossed between nodes over mTLS");
        // 14 s of load with renewals every 4 s.
        Assert.True(serials.Count >= 3, $"n1's certificate changed only to {string.Join(", ", serials)}");
    }

    /// <summary>Hops every gateway sent to a peer over mTLS so far.</summary>
    private async Task<long> HopsOutAsync()
    {
        long total = 0;
        foreach (var gateway in Mesh.Gateways)
        {
            foreach (var peer in Mesh.Gateways.Where(p => p != gateway))
            {
                total += await Hop.HopCounters.ReadAsync(gateway, "out", peer.Node);
            }
        }

        return total;
    }

    [Fact]
    public async Task RevokedNodeToken_GetsNoNewCertificate()
    {
        var minted = await Mesh.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", """{"node":"c9"}""");
        var (id, token) = (minted.GetProperty("id").GetString()!, minted.GetProperty("token").GetString()!);
        var gateway = await Mesh.StartGatewayAsync("c9", token);
        try
        {
            using (await CertificateOfAsync(gateway))
            {
            }

            using var revoke = await Mesh.Api.Http.DeleteAsync($"/api/gateway-tokens/{id}");
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
            using var last = await CertificateOfAsync(gateway);

            // Past the whole lifetime: a gateway still trusted would have renewed twice.
            await Task.Delay(CaMeshFixture.Lifetime + TimeSpan.FromSeconds(2));
            using var after = await CertificateOfAsync(gateway);
            Assert.Equal(last.SerialNumber, after.SerialNumber);
            Assert.True(after.NotAfter.ToUniversalTime() < DateTime.UtcNow, "the revoked node's certificate should have run out");
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => FleetHubClient.ConnectAsync(Mesh.PortalUrl, token));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            await gateway.Process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Csr_ForAnotherNode_RefusedNamingTheTokensNode()
    {
        await using var hub = await FleetHubClient.ConnectAsync(Mesh.PortalUrl, await Mesh.MintTokenAsync("c8"));
        await hub.HelloAsync("c8", "c8-e2e");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            hub.RequestCertificateAsync(new CertificateRequest("CN=n1", key, HashAlgorithmName.SHA256).CreateSigningRequestPem()));

        Assert.Contains("the CSR names node 'n1', but this gateway's token is for node 'c8'", refused.Message);
        var issued = await RetryAsync(() => hub.RequestCertificateAsync(new CertificateRequest("CN=c8", key, HashAlgorithmName.SHA256).CreateSigningRequestPem()));
        using var certificate = X509Certificate2.CreateFromPem(issued.ChainPem);
        Assert.Equal(["spiffe://meshportal.local/node/c8"], MeshIdentity.UrisOf(certificate));
    }

    /// <summary>The gateway's current certificate, from its admin port, once it has one.</summary>
    internal static async Task<X509Certificate2> CertificateOfAsync(GatewayNode gateway)
    {
        using var http = new HttpClient();
        string? pem = null;
        await Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync($"{gateway.AdminUrl}/certificate");
            pem = response.IsSuccessStatusCode
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("certificatePem").GetString()
                : null;
            return pem is not null;
        }, TimeSpan.FromSeconds(20), () => gateway.Process.Output);
        return X509Certificate2.CreateFromPem(pem!);
    }

    private async Task<List<JsonElement>> GatewayRowsAsync() =>
        [.. JsonDocument.Parse(await Mesh.Api.Http.GetStringAsync("/api/gateways")).RootElement.EnumerateArray()];

    /// <summary>The portal gives one certificate per second per connection.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        return await call();
    }

    private static bool Chains(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

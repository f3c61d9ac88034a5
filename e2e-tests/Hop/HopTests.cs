using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.E2ETests.Hop;

/// <summary>
/// Requests that leave their node cross between gateways over mutual TLS: frontend's calls through n1 to
/// catalog v2 on n3 go n1 → n3's inbound port, and that port takes nobody without a node certificate of the mesh.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class HopTests(MeshFixture mesh)
{
    private GatewayNode Node(string name) => mesh.Gateways.Single(g => g.Node == name);

    [Fact]
    public async Task CatalogV2FromFrontendOnN1_CrossesN1ToN3OverMtls_CountedOutOnN1AndInOnN3()
    {
        var (n1, n3) = (Node("n1"), Node("n3"));
        var outBefore = await HopCounters.ReadAsync(n1, "out", "n3");
        var inBefore = await HopCounters.ReadAsync(n3, "in", "n1");

        var fromV2 = 0;
        for (var i = 0; i < 20; i++)
        {
            // From frontend's own address, as the frontend calls catalog.
            var (status, body) = await GetFromAsync(n1.ProxyUrl, "catalog", IPAddress.Parse(DemoShop.Addresses["frontend-v1"]));
            Assert.True(status == HttpStatusCode.OK, body);
            using var reply = JsonDocument.Parse(body);
            if (reply.RootElement.GetProperty("subset").GetString() == "v2")
            {
                Assert.Equal("catalog-v2", reply.RootElement.GetProperty("instance").GetString());

                // catalog v2 called inventory through its own gateway n3, and back across to n1: stock came back.
                Assert.Equal(JsonValueKind.Object, reply.RootElement.GetProperty("inventory").ValueKind);
                fromV2++;
            }
        }

        Assert.InRange(fromV2, 5, 15);
        Assert.True(await HopCounters.ReadAsync(n1, "out", "n3") - outBefore >= fromV2, "n1 counted fewer hops out to n3 than catalog v2 answered");
        Assert.True(await HopCounters.ReadAsync(n3, "in", "n1") - inBefore >= fromV2, "n3 counted fewer hops in from n1 than catalog v2 answered");
    }

    [Fact]
    public async Task InboundPort_ClientWithoutCertificate_Refused()
    {
        var error = await Record.ExceptionAsync(() => HandshakeAndGetAsync(Node("n3").InboundUrl, clientCertificate: null));

        Assert.True(error is AuthenticationException or IOException, $"a client without a certificate got through: {error}");
    }

    [Fact]
    public async Task InboundPort_CertificateFromAnotherCaNamingAMeshNode_Refused()
    {
        // A node certificate exactly like the mesh's, SPIFFE URI of n1 included, but signed by a CA of the test's own.
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Another CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=n1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(MeshIdentity.NodeUri(MeshIdentity.DefaultTrustDomain, "n1"));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
        using var forged = issued.CopyWithPrivateKey(key);

        var error = await Record.ExceptionAsync(() => HandshakeAndGetAsync(Node("n3").InboundUrl, forged));

        Assert.True(error is AuthenticationException or IOException, $"a certificate of another CA got through: {error}");
    }

    /// <summary>
    /// A TLS handshake with the inbound port (the server's certificate accepted whatever it is), then a
    /// hop-shaped request: with TLS 1.3 the server may refuse the client's certificate only after the
    /// client thinks the handshake is done, so the refusal can also show as the first read failing.
    /// </summary>
    private static async Task HandshakeAndGetAsync(string inboundUrl, X509Certificate2? clientCertificate)
    {
        var uri = new Uri(inboundUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "n3",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        var hop = "GET / HTTP/1.1\r\nHost: n3\r\nx-mesh-hop-instance: catalog/v2/catalog-v2\r\nx-mesh-hop-source: frontend\r\nConnection: close\r\n\r\n"u8.ToArray();
        await tls.WriteAsync(hop);
        var buffer = new byte[4096];
        var read = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        if (read == 0)
        {
            throw new IOException("the inbound port closed the connection without an answer");
        }

        throw new InvalidOperationException($"the inbound port answered: {System.Text.Encoding.ASCII.GetString(buffer, 0, read)}");
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetFromAsync(string gateway, string host, IPAddress from)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway}/");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Security;

/// <summary>A CA made for one test run: its root, and server certificates for 127.0.0.1 it signs.</summary>
public sealed class TestCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCa(string name)
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    public X509Certificate2 Root { get; }

    public string RootPem => Root.ExportCertificatePem();

    /// <summary>A server certificate naming 127.0.0.1, ::1 and localhost: its PEM, its key's PEM and its thumbprint.</summary>
    public (string CertificatePem, string KeyPem, string Thumbprint) IssueServer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(Root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), certificate.Thumbprint);
    }

    public void Dispose()
    {
        Root.Dispose();
        _key.Dispose();
    }
}

/// <summary>
/// A portal of its own on HTTPS, its certificate signed by <see cref="Ca"/>, looking at its
/// certificate files every second; a client that trusts only that CA; the CA files for gateways.
/// </summary>
public sealed class TlsPortal : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meshportal-tls-").FullName;
    private readonly List<TestProcess> _processes = [];
    private TestDatabase? _db;

    public TestCa Ca { get; } = new("MeshPortal e2e portal CA");
    public TestCa OtherCa { get; } = new("Some other CA");
    public string Url { get; } = $"https://127.0.0.1:{Ports.Free()}";
    public string CaFile => Path.Combine(_dir, "portal-ca.crt");
    public string OtherCaFile => Path.Combine(_dir, "other-ca.crt");
    public string CertificateFile => Path.Combine(_dir, "tls.crt");
    public string KeyFile => Path.Combine(_dir, "tls.key");
    public string Thumbprint { get; private set; } = "";
    public string AdminUser { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";
    public TestProcess Portal { get; private set; } = null!;

    /// <summary>The API with the admin's key, trusting only <see cref="Ca"/>.</summary>
    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(CaFile, Ca.RootPem);
        await File.WriteAllTextAsync(OtherCaFile, OtherCa.RootPem);
        Thumbprint = await WriteServerCertificateAsync();
        _db = await TestDatabase.CreateAsync("tls");
        var credentials = Path.Combine(_dir, "credentials");
        Portal = Track(PortalProcess.Start("tls-portal", Url, _db.ConnectionString, null,
            ("Portal__CredentialsFile", credentials), ("Portal__Tls__CertificateFile", CertificateFile),
            ("Portal__Tls__KeyFile", KeyFile), ("Portal__Tls__ReloadInterval", "00:00:01")));
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(credentials) && File.ReadAllText(credentials).Contains("API_KEY=")),
            TimeSpan.FromSeconds(90), () => Portal.Output);
        var values = File.ReadAllLines(credentials).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        AdminUser = values["ADMIN_USER"];
        AdminPassword = values["ADMIN_PASSWORD"];
        Api = TrustingClient(_ => { });
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", values["API_KEY"]);
        await Poll.UntilAsync(() => MeshFixture.IsOkAsync(Api, "/readyz"), TimeSpan.FromSeconds(60), () => Portal.Output);
        await PostAsync("/api/services", """{"name":"catalog","subsets":[{"name":"v1","instances":[{"id":"catalog-1","address":"http://127.0.0.1:9","node":"t1"}]}]}""");
        await PostAsync("/api/routes", """{"id":"catalog","match":{"hosts":["catalog"]},"backends":[{"service":"catalog","subset":"v1","weight":100}]}""");
    }

    /// <summary>A new server certificate from <see cref="Ca"/> in the portal's files (key first, as a rotation may leave them in between); its thumbprint.</summary>
    public async Task<string> WriteServerCertificateAsync()
    {
        var (certificatePem, keyPem, thumbprint) = Ca.IssueServer();
        await File.WriteAllTextAsync(KeyFile, keyPem);
        await File.WriteAllTextAsync(CertificateFile, certificatePem);
        return thumbprint;
    }

    /// <summary>A client on a new connection pool that trusts only <see cref="Ca"/> and tells <paramref name="seen"/> the portal's certificate.</summary>
    public HttpClient TrustingClient(Action<X509Certificate2> seen) => new(new SocketsHttpHandler
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                using var presented = new X509Certificate2(certificate!);
                seen(presented);
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Ca.Root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && chain.Build(presented);
            },
        },
    })
    {
        BaseAddress = new Uri(Url),
        Timeout = TimeSpan.FromSeconds(15),
    };

    public async Task<JsonElement> PostAsync(string path, string json)
    {
        using var response = await Api.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.Clone()
            : throw new HttpRequestException($"POST {path} → {(int)response.StatusCode}: {body}");
    }

    /// <summary>A gateway for <paramref name="node"/> on this portal, with <paramref name="env"/> (its credential and CA file), once its admin port answers.</summary>
    public async Task<TestProcess> StartGatewayAsync(string node, IReadOnlyDictionary<string, string> env)
    {
        var admin = $"http://127.0.0.1:{Ports.Free()}";
        var process = Track(TestProcess.StartDotnet($"gateway-{node}", Paths.Gateway, [], new Dictionary<string, string>(env)
        {
            ["Gateway__PortalUrl"] = Url,
            ["Gateway__Node"] = node,
            ["Gateway__ProxyUrl"] = $"http://127.0.0.1:{Ports.Free()}",
            ["Gateway__AdminUrl"] = admin,
            ["Gateway__StateDirectory"] = Directory.CreateTempSubdirectory($"meshportal-tls-{node}-").FullName,
        }));
        using var http = new HttpClient();
        await Poll.UntilAsync(() => MeshFixture.IsOkAsync(http, $"{admin}/healthz"), TimeSpan.FromSeconds(60), () => process.Output);
        return process;
    }

    /// <summary>The node's state on the Gateways API, or null when no gateway of that node is listed.</summary>
    public async Task<string?> GatewayStateAsync(string node)
    {
        using var gateways = JsonDocument.Parse(await Api.GetStringAsync("/api/gateways"));
        return gateways.RootElement.EnumerateArray()
            .Where(g => g.GetProperty("node").GetString() == node)
            .Select(g => g.GetProperty("state").GetString())
            .FirstOrDefault();
    }

    private TestProcess Track(TestProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public string Logs() => string.Join("\n\n", _processes.Select(p => $"--- {p.Name} ---\n{p.Output}"));

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        Ca.Dispose();
        OtherCa.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

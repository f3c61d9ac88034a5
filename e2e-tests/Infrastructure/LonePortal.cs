namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>
/// One portal on a database of its own, without gateways: for tests that empty the mesh or take
/// its database away, which the shared <see cref="MeshFixture"/> must never see.
/// </summary>
public sealed class LonePortal : IAsyncDisposable
{
    private LonePortal(string url, TestProcess process, MeshApi api)
    {
        Url = url;
        Process = process;
        Api = api;
    }

    public string Url { get; }
    public TestProcess Process { get; }
    public MeshApi Api { get; }

    /// <param name="settings">Configuration of this portal alone, as environment variables (<c>Fleet__X</c>).</param>
    public static async Task<LonePortal> StartAsync(string connectionString, params (string Name, string Value)[] settings)
    {
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var stateDir = Directory.CreateTempSubdirectory("meshportal-lone-").FullName;
        var credentials = Path.Combine(stateDir, "credentials");
        var process = PortalProcess.Start("lone-portal", url, connectionString, null, [("Portal__CredentialsFile", credentials), .. settings]);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(File.Exists(credentials) && File.ReadAllText(credentials).Contains("API_KEY=")),
                TimeSpan.FromSeconds(60), () => process.Output);
            var key = File.ReadAllLines(credentials).Select(l => l.Split('=', 2)).Single(p => p[0] == "API_KEY")[1];
            var api = new MeshApi(url, key);
            await Poll.UntilAsync(() => MeshFixture.IsOkAsync(api.Http, $"{url}/readyz"), TimeSpan.FromSeconds(60), () => process.Output);
            Directory.Delete(stateDir, recursive: true);
            return new LonePortal(url, process, api);
        }
        catch
        {
            await process.DisposeAsync();
            Directory.Delete(stateDir, recursive: true);
            throw;
        }
    }

    /// <summary>Two services and three routes through the API, as the demo has.</summary>
    public async Task SeedAsync()
    {
        foreach (var service in new[] { "frontend", "catalog", "inventory" })
        {
            await Api.SendOkAsync(HttpMethod.Post, "/api/services",
                $$"""{"name":"{{service}}","subsets":[{"name":"v1","instances":[{"id":"{{service}}-1","address":"http://127.0.0.1:9","node":"n1"}]}]}""");
            await Api.SendOkAsync(HttpMethod.Post, "/api/routes",
                $$"""{"id":"{{service}}","match":{"hosts":["{{service}}"]},"backends":[{"service":"{{service}}","subset":"v1","weight":100}]}""");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Process.DisposeAsync();
    }
}

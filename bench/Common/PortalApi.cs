using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Bench.Common;

public sealed record Convergence(long Revision, double Milliseconds, int Gateways, DateTimeOffset ConvergedAt);

public sealed record GatewayView(string Node, string GatewayId, string State, long AppliedRevision);

/// <summary>The portal's REST API as the benchmarks use it: an admin's API key, the same paths as scripts.</summary>
public sealed class PortalApi(string baseUrl, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiKey) },
    };

    public string BaseUrl { get; } = baseUrl;

    public async Task<string> MintGatewayTokenAsync(string node)
    {
        var minted = await SendAsync(HttpMethod.Post, "/api/gateway-tokens", new { node });
        return minted.GetProperty("token").GetString()!;
    }

    /// <summary>Registers or replaces the service (registration is idempotent in the portal).</summary>
    public Task RegisterServiceAsync(ServiceConfig service) => SendAsync(HttpMethod.Post, "/api/services", service);

    /// <summary>Creates the route, or replaces it when it exists; returns the new revision.</summary>
    public async Task<long> PutRouteAsync(RouteConfig route)
    {
        using var existing = await _http.GetAsync($"/api/routes/{route.Id}");
        var written = existing.StatusCode == HttpStatusCode.NotFound
            ? await SendAsync(HttpMethod.Post, "/api/routes", route)
            : await SendAsync(HttpMethod.Put, $"/api/routes/{route.Id}", route);
        return written.GetProperty("revision").GetInt64();
    }

    public async Task<long> PutSplitAsync(string routeId, IReadOnlyList<BackendRef> backends, string reason) =>
        (await SendAsync(HttpMethod.Put, $"/api/routes/{routeId}/split", new { backends, reason })).GetProperty("revision").GetInt64();

    public async Task<IReadOnlyList<Convergence>> ConvergenceAsync() =>
        await _http.GetFromJsonAsync<List<Convergence>>("/api/convergence", MeshJson.Options) ?? [];

    public async Task<IReadOnlyList<GatewayView>> GatewaysAsync() =>
        await _http.GetFromJsonAsync<List<GatewayView>>("/api/gateways", MeshJson.Options) ?? [];

    public async Task<int> RouteCountAsync() =>
        (await _http.GetFromJsonAsync<JsonElement>("/api/routes")).GetArrayLength();

    public async Task<long> RevisionAsync() =>
        (await _http.GetFromJsonAsync<JsonElement>("/api/revision")).GetProperty("revision").GetInt64();

    public async Task<JsonElement> TopologyAsync(int windowSeconds) =>
        await _http.GetFromJsonAsync<JsonElement>($"/api/topology?window={windowSeconds}");

    /// <summary>Waits until <paramref name="count"/> gateways are SYNCED at the head revision.</summary>
    public async Task WaitSyncedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<GatewayView> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            var head = await RevisionAsync();
            seen = await GatewaysAsync();
            if (seen.Count(g => g.State == "SYNCED" && g.AppliedRevision >= head) >= count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{count} gateways not SYNCED within {timeout.TotalSeconds} s: {string.Join("; ", seen)}");
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: MeshJson.Options) };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new HttpRequestException($"{method} {path} → {(int)response.StatusCode}: {text}");
    }

    public void Dispose() => _http.Dispose();
}

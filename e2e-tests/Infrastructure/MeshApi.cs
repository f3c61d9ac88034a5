using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.E2ETests.Infrastructure;

public sealed record GatewayView(string Node, string GatewayId, string State, long AppliedRevision, string? LastError, string Replica = "");

public sealed record RevisionView(long Revision, string Hash);

/// <summary>The portal's REST API as a script would use it: a bearer API key.</summary>
public sealed class MeshApi(string baseUrl, string apiKey, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = timeout ?? TimeSpan.FromSeconds(15),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiKey) },
    };

    public HttpClient Http => _http;

    public async Task<RevisionView> RevisionAsync() =>
        (await _http.GetFromJsonAsync<RevisionView>("/api/revision", MeshJson.Options))!;

    public async Task<IReadOnlyList<GatewayView>> GatewaysAsync() =>
        (await _http.GetFromJsonAsync<List<GatewayView>>("/api/gateways", MeshJson.Options))!;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json) =>
        _http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") });

    public async Task<JsonElement> SendOkAsync(HttpMethod method, string path, string json)
    {
        using var response = await SendAsync(method, path, json);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.Clone()
            : throw new HttpRequestException($"{method} {path} → {(int)response.StatusCode}: {body}");
    }

    public void Dispose() => _http.Dispose();
}

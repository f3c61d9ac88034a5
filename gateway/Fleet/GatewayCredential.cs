using System.Net.Http.Json;
using System.Text.Json;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// The bearer token the gateway shows the fleet hub, asked for at every connect: Gateway:Token;
/// else the content of Gateway:TokenFile (so a rotated Secret takes effect on the next reconnect);
/// else the node's own token kept under the state directory, got once by enrolling with the join
/// token of Gateway:JoinTokenFile. A stored token that the portal later refuses is not replaced
/// by enrolling again: an admin who revoked it meant to shut the node out. No token is ever logged.
/// </summary>
internal sealed class GatewayCredential(IOptions<GatewayOptions> options, PortalTrust trust, ILogger<GatewayCredential> logger) : IDisposable
{
    private static readonly TimeSpan EnrollTimeout = TimeSpan.FromSeconds(10);

    private readonly GatewayOptions _options = options.Value;
    private readonly HttpClient _http = new(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = trust.Validate } })
    {
        Timeout = EnrollTimeout,
    };
    private int _enrollments = -1;

    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.Token))
        {
            return _options.Token.Trim();
        }

        if (!string.IsNullOrWhiteSpace(_options.TokenFile))
        {
            return SecretFile.Read(_options.TokenFile)
                ?? throw new InvalidOperationException($"Gateway:TokenFile '{_options.TokenFile}' is empty");
        }

        if (File.Exists(_options.NodeTokenPath) && SecretFile.Read(_options.NodeTokenPath) is { } stored)
        {
            return stored;
        }

        return await EnrollAsync(cancellationToken);
    }

    private async Task<string> EnrollAsync(CancellationToken cancellationToken)
    {
        var joinToken = SecretFile.Read(_options.JoinTokenFile)
            ?? throw new InvalidOperationException($"Gateway:JoinTokenFile '{_options.JoinTokenFile}' is empty");
        // Each try goes to the next portal URL, so one replica being away does not stop a node joining.
        var enrollUris = _options.EnrollUris;
        var enrollUri = enrollUris[(int)((uint)Interlocked.Increment(ref _enrollments) % (uint)enrollUris.Count)];
        using var request = new HttpRequestMessage(HttpMethod.Post, enrollUri)
        {
            Content = JsonContent.Create(new EnrollRequest { Node = _options.Node }, options: MeshJson.Options),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", joinToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"enrolling node '{_options.Node}' at {enrollUri} was refused ({(int)response.StatusCode}): {await DetailAsync(response, cancellationToken)}");
        }

        var enrolled = await response.Content.ReadFromJsonAsync<EnrollResponse>(MeshJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"the portal answered the enrollment of node '{_options.Node}' with no body");
        Directory.CreateDirectory(_options.StateDirectory);
        SecretFile.Write(_options.NodeTokenPath, enrolled.Token);
        Log.Enrolled(logger, _options.Node, enrolled.Id, _options.NodeTokenPath, enrolled.Replaced.Count);
        return enrolled.Token;
    }

    /// <summary>The problem's detail (why the portal refused), else the start of the body.</summary>
    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                {
                    return detail.GetString()!;
                }

                if (problem.RootElement.TryGetProperty("errors", out var errors))
                {
                    return errors.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 200 ? body[..200] : body;
    }

    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MeshPortal.Samples.Shop;

/// <summary>The outcome of one call through the mesh gateway.</summary>
/// <param name="Status">HTTP status of the answer; 502 when the gateway could not be reached, 504 on timeout.</param>
/// <param name="Body">The answer's JSON (a JSON string when the body was not JSON), or null when there was none.</param>
/// <param name="Error">Why no answer came back, when none did.</param>
public sealed record UpstreamResult(int Status, JsonElement? Body, string? Error)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>Calls other services through the node's gateway: <c>Host: service</c>, <c>x-mesh-source: self</c>.</summary>
public sealed partial class MeshClient(IHttpClientFactory factory, ShopOptions options, ILogger<MeshClient> logger)
{
    public const string HttpClientName = "mesh-gateway";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private const long WarnEveryMs = 10_000;

    private long nextWarnAtMs;
    private long suppressedWarnings;

    public static void Register(IServiceCollection services, ShopOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<MeshClient>();
        services.AddHttpClient(HttpClientName, client =>
            {
                client.BaseAddress = options.Gateway;
                client.Timeout = Timeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                ConnectCallback = options.CallFrom is { } from ? (context, ct) => ConnectFromAsync(from, context, ct) : null,
            });
    }

    /// <summary>Opens the connection from the shop's own address, so the gateway sees which workload calls.</summary>
    private static async ValueTask<Stream> ConnectFromAsync(IPAddress from, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <c>GET /</c> to <paramref name="service"/> and returns its status and body; never throws on network failure.</summary>
    public async Task<UpstreamResult> GetRootAsync(string service, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = service;
        request.Headers.Add("x-mesh-source", options.ServiceName);
        try
        {
            using var response = await factory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new UpstreamResult((int)response.StatusCode, ParseBody(text), null);
        }
        catch (HttpRequestException ex)
        {
            var error = $"gateway {options.Gateway} unreachable for {service}: {ex.Message}";
            Warn(error);
            return new UpstreamResult((int)HttpStatusCode.BadGateway, null, error);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"{service} did not answer through gateway {options.Gateway} within {Timeout.TotalSeconds:0} s";
            Warn(error);
            return new UpstreamResult((int)HttpStatusCode.GatewayTimeout, null, error);
        }
    }

    /// <summary>Logs a failed call at most once per 10 s, so a gateway outage under load does not flood the log.</summary>
    private void Warn(string error)
    {
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref nextWarnAtMs);
        if (now < next || Interlocked.CompareExchange(ref nextWarnAtMs, now + WarnEveryMs, next) != next)
        {
            Interlocked.Increment(ref suppressedWarnings);
            return;
        }
        LogCallFailed(logger, error, Interlocked.Exchange(ref suppressedWarnings, 0));
    }

    private static JsonElement? ParseBody(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Error} (+{Suppressed} similar failures not logged since the last warning)")]
    private static partial void LogCallFailed(ILogger logger, string error, long suppressed);
}

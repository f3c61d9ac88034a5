using System.Collections.Concurrent;
using System.Net;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>
/// An OTLP/HTTP collector as small as can be: it answers 200 to every export and keeps each body
/// by path (<c>/v1/traces</c>, <c>/v1/metrics</c>), so a test can look for what was exported.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Url = $"http://127.0.0.1:{Ports.Free()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>What a process needs to export here over OTLP/HTTP, flushing often.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Url,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
    };

    public IReadOnlyList<string> Paths => [.. _exports.Select(e => e.Path)];

    /// <summary>Whether any body exported to <paramref name="path"/> contains <paramref name="bytes"/>.</summary>
    public bool Received(string path, ReadOnlySpan<byte> bytes)
    {
        foreach (var (p, body) in _exports)
        {
            if (p == path && body.AsSpan().IndexOf(bytes) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _exports.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

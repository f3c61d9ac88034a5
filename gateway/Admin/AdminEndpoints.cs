using System.Text.Json;
using MeshPortal.Gateway.Identity;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Observability;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Gateway.Admin;

/// <summary>
/// The admin listener's endpoints: health, readiness, the applied config and metrics. Dispatched by
/// hand on the admin port only, so they never share a route table with proxied traffic.
/// </summary>
internal sealed class AdminEndpoints(AppliedConfig applied, NodeCertificates certificates, PrometheusWriter prometheus, AdminHostRule hosts)
{
    public Task HandleAsync(HttpContext context)
    {
        if (!hosts.Allows(context.Request.Host))
        {
            return PlainAsync(context, StatusCodes.Status421MisdirectedRequest,
                $"the admin port answers only an IP address, localhost or a name in Gateway:AdminHosts as Host, not '{context.Request.Host}'\n");
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return PlainAsync(context, StatusCodes.Status405MethodNotAllowed, "only GET and HEAD are allowed\n");
        }

        return context.Request.Path.Value switch
        {
            "/healthz" => PlainAsync(context, StatusCodes.Status200OK, "ok\n"),
            "/readyz" => ReadyAsync(context),
            "/config" => ConfigAsync(context),
            "/metrics" => MetricsAsync(context),
            "/certificate" => CertificateAsync(context),
            _ => PlainAsync(context, StatusCodes.Status404NotFound, "not found: the admin endpoints are /healthz, /readyz, /config, /certificate and /metrics\n"),
        };
    }

    private Task ReadyAsync(HttpContext context) => applied.Current is { } current
        ? PlainAsync(context, StatusCodes.Status200OK, $"ready at revision {current.Snapshot.Revision}\n")
        : PlainAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready: no config applied yet\n");

    private async Task ConfigAsync(HttpContext context)
    {
        if (applied.Current is not { } current)
        {
            await PlainAsync(context, StatusCodes.Status503ServiceUnavailable, "no config applied yet\n");
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, current.Snapshot, MeshJson.Options, context.RequestAborted);
    }

    /// <summary>The node's current certificate, public parts only (never the key).</summary>
    private async Task CertificateAsync(HttpContext context)
    {
        if (certificates.Current is not { } current)
        {
            await PlainAsync(context, StatusCodes.Status503ServiceUnavailable, "no certificate yet\n");
            return;
        }

        var info = new NodeCertificateInfo
        {
            Serial = current.Certificate.SerialNumber,
            Subject = current.Certificate.Subject,
            NotBefore = current.Certificate.NotBefore.ToUniversalTime(),
            NotAfter = current.NotAfter,
            RenewAt = current.RenewAt,
            CertificatePem = current.Certificate.ExportCertificatePem(),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, info, MeshJson.Options, context.RequestAborted);
    }

    private async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = PrometheusText.ContentType;
        await context.Response.WriteAsync(prometheus.Write(), context.RequestAborted);
    }

    private static Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}

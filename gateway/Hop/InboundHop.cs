using System.Diagnostics;
using System.Text.Json;
using MeshPortal.Gateway.Access;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// The inbound port's only handler: takes a hop from a peer gateway (its node certificate already
/// checked in the handshake) to an instance registered on this node, checks the target service's access
/// policy against the caller the peer vouches for, and forwards once. Nothing is retried or counted as a
/// request here: the source gateway's retries, timeouts and breaker wrap the whole hop, and it counts it.
/// </summary>
internal sealed class InboundHop(AppliedConfig applied, IHttpForwarder forwarder, HopMetrics metrics, IOptions<GatewayOptions> options)
{
    public const string ProblemType = "https://meshportal.dev/problems/hop-refused";

    private readonly string _node = options.Value.Node;
    private readonly HttpMessageInvoker _instances = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    public async Task HandleAsync(HttpContext context)
    {
        var peer = context.Connection.ClientCertificate is { } certificate ? PeerNodeOf(certificate) : null;
        if (peer is null)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "the connection carries no node certificate of this mesh");
            return;
        }

        if (applied.Current is not { } current)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "this gateway has no config applied yet");
            return;
        }

        var headers = context.Request.Headers;
        if (Single(headers[HopHeaders.Instance], HopHeaders.MaxInstanceLength)?.Split('/') is not [var service, var subset, var id])
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"a hop names its instance in one {HopHeaders.Instance} header as service/subset/instance");
            return;
        }

        var instance = current.Services.GetValueOrDefault(service)?.FindSubset(subset)?.Instances.FirstOrDefault(i => i.Id == id);
        if (instance is null)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"no instance '{id}' of {service}/{subset} is registered in the config this gateway serves");
            return;
        }

        if (instance.Node != _node)
        {
            await RefuseAsync(context, StatusCodes.Status421MisdirectedRequest,
                $"instance '{id}' of {service}/{subset} is registered on node '{instance.Node}', not on '{_node}': a gateway forwards hops only to its own node's instances");
            return;
        }

        var probe = headers[HopHeaders.Probe] == "1";
        if (probe && HopProbe.Refusal(context.Request, current.Snapshot.Config, service) is { } notAProbe)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, notAProbe);
            return;
        }

        var source = Single(headers[HopHeaders.Source], TelemetryLimits.MaxNameLength);
        if (!probe && source is null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"a hop names its caller in one {HopHeaders.Source} header");
            return;
        }

        // The peer vouches for the caller with its node certificate; the policy is judged here again,
        // against this node's config, so a stale or lenient source cannot reach a closed service.
        if (!probe && current.Access.Refusing(service, source!) is { } policy)
        {
            await AccessDenied.WriteAsync(context, service, new Caller(source!, Verified: source != CallerDirectory.External), policy);
            return;
        }

        HopHeaders.Strip(headers);
        metrics.Record(HopMetrics.In, peer);
        await forwarder.SendAsync(context, instance.Address, _instances, ForwarderRequestConfig.Empty, InstanceTransformer.Instance);
    }

    /// <summary>The node a handshake-checked certificate names (its SPIFFE URI's last segment).</summary>
    private static string? PeerNodeOf(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        MeshIdentity.UrisOf(certificate).Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : null)
            .Where(u => u is { Scheme: "spiffe" } && u.AbsolutePath.StartsWith("/node/", StringComparison.Ordinal))
            .Select(u => u!.AbsolutePath["/node/".Length..]).FirstOrDefault();

    private static string? Single(Microsoft.Extensions.Primitives.StringValues values, int maxLength) =>
        values.Count == 1 && values[0] is { Length: > 0 } value && value.Length <= maxLength ? value : null;

    private static Task RefuseAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { type = ProblemType, title = "Hop refused", status, detail }));
    }

    /// <summary>Copies the request as the source gateway shaped it (its X-Forwarded-* included); the instance sees its own address as Host, as without a hop.</summary>
    private sealed class InstanceTransformer : HttpTransformer
    {
        public static readonly InstanceTransformer Instance = new();

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Host = null;
        }
    }
}

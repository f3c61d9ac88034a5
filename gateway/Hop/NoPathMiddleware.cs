using System.Text.Json;
using MeshPortal.Gateway.Proxy;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Hop;

/// <summary>The nodes of each backend (service/subset) whose instances strict mode left out: no mTLS path leads there.</summary>
internal sealed record HopGaps(IReadOnlyDictionary<string, IReadOnlyList<string>> NodesByBackend);

/// <summary>
/// After the split and the access check: when strict mode left the chosen backend without an instance
/// because its instances live on nodes that take no hops, the caller gets a 503 saying so rather than
/// YARP's bare one.
/// </summary>
internal sealed class NoPathMiddleware(RequestDelegate next)
{
    public const string ProblemType = "https://meshportal.dev/problems/no-mtls-path";

    public Task InvokeAsync(HttpContext context)
    {
        var gaps = context.GetEndpoint()?.Metadata.GetMetadata<HopGaps>();
        var backend = context.Features.Get<MeshRequestFeature>()?.Backend;
        if (gaps is null || backend is null || context.GetReverseProxyFeature().AvailableDestinations.Count > 0
            || !gaps.NodesByBackend.TryGetValue($"{backend.Service}/{backend.Subset}", out var nodes))
        {
            return next(context);
        }

        var problem = new
        {
            type = ProblemType,
            title = "No mTLS path to the service's nodes",
            status = StatusCodes.Status503ServiceUnavailable,
            detail = $"no mTLS path to node {string.Join(", ", nodes)}: the mesh is in strict transport mode, so traffic leaves this node only over "
                + $"mutual TLS, and the gateway of that node takes no hops (no inbound URL or no certificate); {backend.Service}/{backend.Subset} has no other instance",
            nodes,
        };
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(problem));
    }
}

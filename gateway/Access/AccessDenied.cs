using System.Text.Json;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Access;

/// <summary>The 403 a refused caller gets: problem+json naming the service's policy and who it took the caller for.</summary>
internal static class AccessDenied
{
    public const string ProblemType = "https://meshportal.dev/problems/access-denied";

    public static Task WriteAsync(HttpContext context, string service, Caller caller, AccessPolicy policy)
    {
        var callers = policy.Allow.Count == 0 ? "no caller" : string.Join(", ", policy.Allow);
        var who = caller.Verified
            ? $"service '{caller.Name}' (known by its address)"
            : $"a caller this gateway cannot identify by its address ({CallerDirectory.SourceHeader} never grants access)";
        var problem = new
        {
            type = ProblemType,
            title = "Access denied by the service's access policy",
            status = StatusCodes.Status403Forbidden,
            detail = $"service '{service}' accepts calls from {callers}; this call came from {who}",
            policy = new { service, allow = policy.Allow },
            source = caller.Principal,
        };
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(problem));
    }
}

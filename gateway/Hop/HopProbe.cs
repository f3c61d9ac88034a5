using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// What a hop marked as a health probe may be: it passes without a caller and so without the access
/// policy, so it is held to what the source's active health check sends (<see cref="HopProbingRequestFactory"/>):
/// a GET without a body to a health path that a route to the service configures. Anything else marked as a
/// probe is a request trying to skip the policy.
/// </summary>
internal static class HopProbe
{
    /// <summary>Why the request is no health probe of <paramref name="service"/>, or null when it is one.</summary>
    public static string? Refusal(HttpRequest request, MeshConfig config, string service)
    {
        if (!HttpMethods.IsGet(request.Method))
        {
            return $"a health probe is a GET, not a {request.Method}";
        }

        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            return "a health probe has no body";
        }

        var path = request.Path.Value;
        return request.QueryString.HasValue || !IsHealthPath(config, service, path)
            ? $"'{path}{request.QueryString}' is not the health path of any route to {service}"
            : null;
    }

    private static bool IsHealthPath(MeshConfig config, string service, string? path)
    {
        foreach (var route in config.Routes)
        {
            if (route.Policies.HealthCheck?.Path is { } health && health == path && Targets(route, service))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Targets(RouteConfig route, string service)
    {
        foreach (var backend in route.Backends)
        {
            if (backend.Service == service)
            {
                return true;
            }
        }

        return false;
    }
}

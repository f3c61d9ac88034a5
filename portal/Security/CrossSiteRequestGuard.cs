using MeshPortal.Portal.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MeshPortal.Portal.Security;

/// <summary>
/// Refuses cross-site use of the login cookie. A browser attaches the cookie to any request
/// another site makes it send, so a write that relies on the cookie must come from a page of this
/// portal (its Origin) and, on the API, carry a type that a plain HTML form or a no-preflight fetch
/// cannot send. Requests with a bearer token are scripts and gateways: a browser never adds that
/// header on another site's behalf, so they pass unchanged. The Blazor circuit is checked the same
/// way, because its WebSocket is where the pages' writes travel.
/// </summary>
public sealed partial class CrossSiteRequestGuard(RequestDelegate next, IOptions<PortalOptions> options, ILogger<CrossSiteRequestGuard> logger)
{
    private static readonly string[] ScriptTypes = ["application/json", "application/problem+json", "application/yaml", "application/x-yaml", "text/yaml"];

    private readonly string _publicOrigin = OriginOf(options.Value.PublicUrl);

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return next(http);
        }

        var circuit = request.Path.StartsWithSegments("/_blazor");
        var write = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);
        if (!circuit && !write)
        {
            return next(http);
        }

        if (ForeignOrigin(request) is { } origin)
        {
            LogForeignOrigin(request.Method, request.Path, origin);
            return RefuseAsync(http, StatusCodes.Status403Forbidden, "cross-site request refused",
                $"Origin '{origin}' is not this portal ({SameOrigin(request)}): writes with the login cookie must come from the portal's own pages; scripts send an API key as a bearer token");
        }

        if (write && !circuit && request.Path.StartsWithSegments("/api") && HasBody(request) && !IsScriptType(request.ContentType))
        {
            return RefuseAsync(http, StatusCodes.Status415UnsupportedMediaType, "unsupported content type",
                $"Content-Type '{request.ContentType}' is not accepted with the login cookie: send application/json (or application/yaml for /api/config)");
        }

        return next(http);
    }

    /// <summary>The Origin (or, without one, a cross-site Sec-Fetch-Site) that is not this portal; null when the request is same-origin.</summary>
    private string? ForeignOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return string.Equals(origin, SameOrigin(request), StringComparison.OrdinalIgnoreCase)
                || string.Equals(origin, _publicOrigin, StringComparison.OrdinalIgnoreCase)
                ? null
                : origin;
        }

        // Without an Origin (an old browser, or a tool replaying a cookie), a browser's fetch
        // metadata still tells a cross-site request apart; a tool sends neither and is no CSRF.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site is "" or "same-origin" or "none" ? null : $"(none; Sec-Fetch-Site: {site})";
    }

    private static string SameOrigin(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";

    private static string OriginOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : url;

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null;

    private static bool IsScriptType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && ScriptTypes.Contains(parsed.MediaType.Value, StringComparer.OrdinalIgnoreCase);

    private static Task RefuseAsync(HttpContext http, int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(http);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Refused a cross-site {Method} {Path} from origin {Origin}")]
    private partial void LogForeignOrigin(string method, string path, string origin);
}

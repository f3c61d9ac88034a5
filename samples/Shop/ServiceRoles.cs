using System.Diagnostics;

namespace MeshPortal.Samples.Shop;

public sealed record InjectedFault(string Service, string Subset, string Instance, string Error);

/// <summary>Maps the endpoints every service role has, and its own <c>GET /</c>.</summary>
public static class ServiceRoles
{
    public const string TraceIdHeader = "x-trace-id";

    public static void Map(WebApplication app, ShopOptions options)
    {
        // Names the trace each answer belongs to, so one request can be followed across gateways and services.
        app.Use((http, next) =>
        {
            if (Activity.Current is { } activity)
            {
                http.Response.Headers[TraceIdHeader] = activity.TraceId.ToHexString();
            }

            return next(http);
        });
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        FaultSwitch.Map(app);

        Delegate root = options.Role switch
        {
            "inventory" => InventoryRole.Get,
            "catalog" => CatalogRole.GetAsync,
            "frontend" => FrontendRole.GetAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Role, "not a service role"),
        };
        app.MapGet("/", root);
    }

    /// <summary>The answer when the fault switch says this request fails.</summary>
    public static IResult Injected(ShopOptions options) =>
        Results.Json(
            new InjectedFault(options.Role, options.Subset, options.Instance, "injected fault (POST /fault?errorRate=0 to heal)"),
            statusCode: StatusCodes.Status500InternalServerError);
}

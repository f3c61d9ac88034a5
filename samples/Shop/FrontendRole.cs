using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshPortal.Samples.Shop;

public sealed record FrontendReply(
    string Service,
    JsonElement? Catalog,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary>frontend: calls catalog through the gateway and wraps its answer.</summary>
public static class FrontendRole
{
    public static async Task<IResult> GetAsync(ShopOptions options, FaultSwitch fault, MeshClient mesh, CancellationToken ct)
    {
        if (fault.ShouldFail())
        {
            return ServiceRoles.Injected(options);
        }
        var catalog = await mesh.GetRootAsync("catalog", ct);
        if (catalog.IsSuccess)
        {
            return Results.Ok(new FrontendReply(options.Role, catalog.Body));
        }
        // A 5xx from catalog (or from the gateway on its behalf) is passed on; anything else is a bad gateway.
        var status = catalog.Status >= 500 ? catalog.Status : StatusCodes.Status502BadGateway;
        var error = catalog.Error ?? $"catalog answered {catalog.Status}";
        return Results.Json(new FrontendReply(options.Role, catalog.Body, error), statusCode: status);
    }
}

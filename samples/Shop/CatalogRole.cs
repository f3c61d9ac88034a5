using System.Text.Json;

namespace MeshPortal.Samples.Shop;

/// <param name="Inventory">inventory's JSON answer on success, otherwise the status it answered (502/504 when unreachable).</param>
public sealed record CatalogReply(string Service, string Subset, string Instance, JsonElement Inventory);

/// <summary>catalog: calls inventory through the gateway; always names its subset so splits can be counted.</summary>
public static class CatalogRole
{
    public static async Task<IResult> GetAsync(ShopOptions options, FaultSwitch fault, MeshClient mesh, CancellationToken ct)
    {
        if (fault.ShouldFail())
        {
            return ServiceRoles.Injected(options);
        }
        var inventory = await mesh.GetRootAsync("inventory", ct);
        var detail = inventory is { IsSuccess: true, Body: { } body } ? body : JsonSerializer.SerializeToElement(inventory.Status);
        return Results.Ok(new CatalogReply(options.Role, options.Subset, options.Instance, detail));
    }
}

namespace MeshPortal.Samples.Shop;

public sealed record InventoryReply(string Service, string Subset, string Instance, int Stock);

/// <summary>inventory: the leaf service, answers with a stock level.</summary>
public static class InventoryRole
{
    public static IResult Get(ShopOptions options, FaultSwitch fault) =>
        fault.ShouldFail()
            ? ServiceRoles.Injected(options)
            : Results.Ok(new InventoryReply(options.Role, options.Subset, options.Instance, Random.Shared.Next(0, 100)));
}

using MeshPortal.Shared.Config;

namespace MeshPortal.UnitTests.Shared;

/// <summary>The demo mesh: catalog with subsets v1 and v2, inventory with v1, route catalog 50/50.</summary>
public static class TestConfigs
{
    public static ServiceConfig Service(string name, params string[] subsets) => new()
    {
        Name = name,
        Subsets = [.. subsets.Select((s, i) => new SubsetConfig
        {
            Name = s,
            Instances = [new InstanceConfig { Id = $"{name}-{s}", Address = $"http://127.0.0.1:{7000 + i}" }],
        })],
    };

    public static RouteConfig Route(string id, params (string Service, string Subset, int Weight)[] backends) => new()
    {
        Id = id,
        Match = new RouteMatch { Hosts = [id] },
        Backends = [.. backends.Select(b => new BackendRef { Service = b.Service, Subset = b.Subset, Weight = b.Weight })],
    };

    public static MeshConfig Demo() => new()
    {
        Services = [Service("catalog", "v1", "v2"), Service("inventory", "v1")],
        Routes = [Route("catalog", ("catalog", "v1", 50), ("catalog", "v2", 50)), Route("inventory", ("inventory", "v1", 100))],
    };
}

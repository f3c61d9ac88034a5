using MeshPortal.Portal.Config;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.UnitTests.Shared;

namespace MeshPortal.UnitTests.Portal.Config;

public sealed class ConfigYamlTests
{
    [Fact]
    public void Export_Import_Export_Identical()
    {
        var config = TestConfigs.Demo() with
        {
            Routes =
            [
                TestConfigs.Route("catalog", ("catalog", "v1", 90), ("catalog", "v2", 10)) with
                {
                    Match = new RouteMatch { Hosts = ["catalog"], PathPrefix = "/api", Headers = [new HeaderMatch { Name = "x-user", Value = "^(alice|bob)$", Regex = true }] },
                    Policies = new RoutePolicies { TimeoutMs = 2000, Retries = new RetryPolicy { Attempts = 2 }, Fault = new FaultPolicy { AbortStatus = 503, AbortPercent = 0.5 } },
                },
            ],
        };

        var yaml = ConfigYaml.Export(config);
        var (imported, errors) = ConfigYaml.Import(yaml);

        Assert.Empty(errors);
        Assert.Equal(yaml, ConfigYaml.Export(imported!));
        Assert.Equal(CanonicalJson.Hash(config), CanonicalJson.Hash(imported!));
    }

    [Fact]
    public void Import_UnknownField_NamesFieldAndLine()
    {
        const string yaml = """
            services: []
            routes:
            - id: catalog
              match:
                hosts: [catalog]
              weighting: 5
            """;

        var (config, errors) = ConfigYaml.Import(yaml);

        Assert.Null(config);
        var error = Assert.Single(errors);
        Assert.Equal("routes[0].weighting", error.Field);
        Assert.Equal("line 6: unknown field 'weighting'", error.Message);
    }

    [Fact]
    public void Import_WrongType_SaysWhatWasExpected()
    {
        const string yaml = """
            routes:
            - id: catalog
              order: first
            """;

        var error = Assert.Single(ConfigYaml.Import(yaml).Errors);
        Assert.Equal("routes[0].order", error.Field);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("whole number", error.Message);
    }

    [Fact]
    public void Import_BrokenYaml_SaysLine()
    {
        var error = Assert.Single(ConfigYaml.Import("routes:\n  - id: [unclosed\n").Errors);
        Assert.Equal("yaml", error.Field);
        Assert.StartsWith("line ", error.Message);
    }
}

using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.UnitTests.Shared.Validation;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("plain text", false, null)]
    [InlineData("emoji 🙂 and ünïcödé", false, null)]
    [InlineData("a\0b", false, "contains the control character U+0000 at position 2; control characters are not allowed")]
    [InlineData("a\tb", false, "contains the control character U+0009 at position 2; control characters are not allowed")]
    [InlineData("a\tb", true, null)]
    [InlineData("line\n", true, "contains the control character U+000A at position 5; control characters are not allowed")]
    [InlineData("\u0085", false, "contains the control character U+0085 at position 1; control characters are not allowed")]
    public void Problem_Text_ControlCharactersRefused(string value, bool allowTab, string? problem) =>
        Assert.Equal(problem, TextRules.Problem(value, allowTab));

    // Built from char codes: attribute arguments cannot carry an unpaired surrogate.
    [Theory]
    [InlineData("x", 0xD800, "", "contains an unpaired surrogate U+D800 at position 2")]
    [InlineData("", 0xDC00, "x", "contains an unpaired surrogate U+DC00 at position 1")]
    [InlineData("", 0xD83D, "", "contains an unpaired surrogate U+D83D at position 1")]
    public void Problem_UnpairedSurrogate_Refused(string before, int code, string after, string problem) =>
        Assert.Equal(problem, TextRules.Problem(before + (char)code + after));

    [Fact]
    public void Validate_NulInEveryFreeTextField_EachNamed()
    {
        var config = TestConfigs.Demo();
        var catalog = config.Services[0];
        var subset = catalog.Subsets[0] with
        {
            Labels = new Dictionary<string, string> { ["zone"] = "eu\0" },
            Instances = [new InstanceConfig { Id = "i\01", Address = "http://127.0.0.1:1/\0", Node = "n\01" }],
        };
        var route = config.Routes[0] with
        {
            Match = new RouteMatch
            {
                PathPrefix = "/a\0",
                Headers = [new HeaderMatch { Name = "x-a\0", Value = "v\0" }, new HeaderMatch { Name = "x-b", Value = "tab\tok" }],
            },
            Policies = new RoutePolicies { HealthCheck = new HealthCheckPolicy { Path = "/h\0" } },
        };
        config = config with
        {
            Services = [catalog with { Owner = "team\0", Subsets = [subset, catalog.Subsets[1]] }, config.Services[1]],
            Routes = [route, config.Routes[1]],
        };

        var fields = MeshValidator.Validate(config).Where(e => e.Message.Contains("U+0000", StringComparison.Ordinal)).Select(e => e.Field);

        Assert.Equal(
            [
                "services[catalog].owner", "services[catalog].subsets[0].labels[zone]", "services[catalog].subsets[0].instances[0].id",
                "services[catalog].subsets[0].instances[0].address", "services[catalog].subsets[0].instances[0].node",
                "routes[catalog].match.pathPrefix", "routes[catalog].match.headers[0].name", "routes[catalog].match.headers[0].value",
                "routes[catalog].policies.healthCheck.path",
            ],
            fields);
    }

    [Theory]
    [InlineData("catalog\n")]
    [InlineData("catalog\0")]
    public void IsDnsLabel_TrailingControlCharacter_Refused(string name) =>
        Assert.False(NameRules.IsDnsLabel(name));
}

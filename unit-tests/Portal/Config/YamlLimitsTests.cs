using System.Diagnostics;
using System.Text;
using MeshPortal.Portal.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.UnitTests.Portal.Config;

/// <summary>The YAML reader's limits: no text can overflow the stack, blow up memory or be half read.</summary>
public sealed class YamlLimitsTests
{
    private static ValidationError SingleError(string yaml)
    {
        var (config, errors) = ConfigYaml.Import(yaml);
        Assert.Null(config);
        return Assert.Single(errors);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(5_000)]
    [InlineData(20_000)]
    public void Import_DeepFlowList_RefusedWithLineNotCrash(int depth)
    {
        var yaml = "services: []\nroutes: " + new string('[', depth) + new string(']', depth) + "\n";

        var error = SingleError(yaml);

        Assert.Equal("yaml", error.Field);
        Assert.Equal($"line 2, column 40: nested more than {YamlJsonReader.MaxDepth} levels deep", error.Message);
    }

    [Fact]
    public void Import_DeepBlockList_RefusedWithLine()
    {
        var yaml = new StringBuilder("routes:\n");
        for (var i = 0; i < 20_000; i++)
        {
            yaml.Append(' ', i * 2).Append("-\n");
        }

        var error = SingleError(yaml.ToString());

        Assert.StartsWith("line 33, column ", error.Message);
        Assert.EndsWith($"nested more than {YamlJsonReader.MaxDepth} levels deep", error.Message);
    }

    [Fact]
    public void Import_AliasBomb_RefusedQuickly()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
        {
            yaml.Append("a").Append(i).Append(": &a").Append(i).Append(" [")
                .Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))).Append("]\n");
        }

        var watch = Stopwatch.StartNew();
        var error = SingleError(yaml.ToString());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.Equal("line 1, column 5: anchors (&a0) are not supported; write the value out", error.Message);
    }

    [Fact]
    public void Import_Alias_Refused()
    {
        var error = SingleError("services: []\nroutes: *r\n");

        Assert.Equal("line 2, column 9: aliases (*r) are not supported; write the value out", error.Message);
    }

    [Fact]
    public void Import_TooManyNodes_Refused()
    {
        var yaml = "routes: [" + string.Join(",", Enumerable.Repeat("0", YamlJsonReader.MaxNodes)) + "]\n";

        var error = SingleError(yaml);

        Assert.EndsWith($"the document has more than {YamlJsonReader.MaxNodes} nodes", error.Message);
    }

    [Fact]
    public void Import_SecondDocument_Refused()
    {
        var error = SingleError("services: []\nroutes: []\n---\nroutes: []\n");

        Assert.Equal("line 3, column 1: only one YAML document is allowed; remove the second '---' and what follows", error.Message);
    }

    [Theory]
    [InlineData("services: []\n? [a, b]\n: 1\n", "line 2, column 3: a mapping key must be a plain value, not a list or a mapping")]
    [InlineData("services: []\n{a: 1}: 2\n", "line 2, column 1: a mapping key must be a plain value, not a list or a mapping")]
    public void Import_NonScalarKey_Refused(string yaml, string message) =>
        Assert.Equal(message, SingleError(yaml).Message);

    [Fact]
    public void Import_DuplicateKey_RefusedNamingTheKey()
    {
        var error = SingleError("services: []\nroutes: []\nservices: []\n");

        Assert.Equal("line 3, column 1: the key 'services' appears twice in the same mapping", error.Message);
    }

    [Theory]
    [InlineData("routes: []\nservices:\n- name: \"cat\\0alog\"\n", "line 3, column 9: the value contains the control character U+0000 at position 4; control characters are not allowed")]
    [InlineData("routes: []\nservices:\n- name: \"\\e[31m\"\n", "line 3, column 9: the value contains the control character U+001B at position 1; control characters are not allowed")]
    public void Import_ControlCharacter_RefusedWithLine(string yaml, string message) =>
        Assert.Equal(message, SingleError(yaml).Message);

    [Fact]
    public void Import_HugeNumber_RefusedWithLine()
    {
        var error = SingleError("routes:\n- id: catalog\n  order: 1" + new string('0', 400) + "\n");

        Assert.StartsWith("line 3, column 10: the number 1000", error.Message);
        Assert.EndsWith("is out of range", error.Message);
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("'5'")]
    public void Import_NotAWholeNumber_NamesFieldAndLine(string order)
    {
        var error = SingleError($"routes:\n- id: catalog\n  order: {order}\n");

        Assert.Equal("routes[0].order", error.Field);
        Assert.Equal("line 3: expected a whole number", error.Message);
    }

    [Fact]
    public void Import_Tag_Refused() =>
        Assert.Equal("line 1, column 9: tags (tag:yaml.org,2002:int) are not supported", SingleError("routes: !!int 5\n").Message);

    [Fact]
    public void Import_Empty_IsNotAMapping() =>
        Assert.Equal("the document must be a mapping with 'services' and 'routes'", SingleError("").Message);

    [Fact]
    public void Import_NullList_RefusedNamingField()
    {
        var error = SingleError("routes: []\nservices:\n- name: catalog\n  subsets:\n");

        Assert.Equal("services[0].subsets", error.Field);
        Assert.StartsWith("line 4: ", error.Message);
    }

    [Fact]
    public void Validate_NullElements_ReportedNotThrown()
    {
        var (config, errors) = ConfigYaml.Import("routes: [~]\nservices:\n- name: catalog\n  subsets: [~, {name: v1, instances: [~]}]\n");
        Assert.Empty(errors);

        var fields = MeshValidator.Validate(config!).Select(e => e.Field);

        Assert.Equal(["services[catalog].subsets[0]", "services[catalog].subsets[1].instances[0]", "routes"], fields);
    }
}

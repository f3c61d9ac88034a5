using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MeshPortal.UnitTests.Charts;

/// <summary>values.schema.json is what Helm applies before rendering: every values file we ship passes it, and a typo fails.</summary>
public sealed class ChartValuesTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(ChartValues.ChartDirectory, "values.schema.json")));

    [Theory]
    [InlineData("")]
    [InlineData("ci/hardened-values.yaml")]
    public void Schema_ShippedValues_Pass(string overrides)
    {
        Assert.Empty(Errors(overrides.Length == 0 ? ChartValues.Load() : ChartValues.Load(overrides)));
    }

    [Theory]
    [InlineData("portal:\n  replicas: 3", "/portal/replicas")]
    [InlineData("gateway:\n  resources:\n    request:\n      cpu: 1", "/gateway/resources/request")]
    [InlineData("portal:\n  ingress:\n    nginx:\n      enable: true", "/portal/ingress/nginx/enable")]
    [InlineData("networkpolicy:\n  enabled: true", "/networkpolicy")]
    public void Schema_TypoedKey_FailsNamingWhere(string yaml, string where)
    {
        var values = ChartValues.Load();
        ChartValues.MergeInto(values, ChartValues.Parse(yaml));

        var errors = Errors(values);

        // additionalProperties: false evaluates the unknown key against the false schema.
        Assert.Contains(errors, e => e.Location == where && e.Message.Contains("false schema", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gateway:\n  state:\n    type: pvc", "/gateway/state/type")]
    [InlineData("portal:\n  trustedProxyNetworks: [ingress-nginx]", "/portal/trustedProxyNetworks/0")]
    [InlineData("gateway:\n  resources:\n    limits:\n      memory: lots", "/gateway/resources/limits/memory")]
    [InlineData("portal:\n  replicaCount: \"2\"", "/portal/replicaCount")]
    public void Schema_BadValue_FailsNamingWhere(string yaml, string where)
    {
        var values = ChartValues.Load();
        ChartValues.MergeInto(values, ChartValues.Parse(yaml));

        Assert.Contains(Errors(values), e => e.Location == where);
    }

    [Fact]
    public void Load_HardenedValues_MergeOverDefaults()
    {
        var values = ChartValues.Load("ci/hardened-values.yaml");

        Assert.False(values["gateway"]!["hostPort"]!.GetValue<bool>());
        Assert.Equal(19001, values["gateway"]!["adminPort"]!.GetValue<long>());
        Assert.Equal("10.244.0.0/16", values["portal"]!["trustedProxyNetworks"]![0]!.GetValue<string>());
    }

    private static List<(string Location, string Message)> Errors(JsonObject values)
    {
        using var document = JsonDocument.Parse(values.ToJsonString());
        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => (d.InstanceLocation.ToString(), $"{e.Key}: {e.Value}")))
            .ToList();
    }
}

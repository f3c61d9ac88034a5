using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshPortal.UnitTests.Charts;

/// <summary>
/// Helm renders a missing value as empty without complaint, so a template that reads
/// <c>$g.drainSecond</c> or a value no template reads would pass unnoticed: every value the
/// templates read exists in values.yaml, and every value there is read by a template.
/// </summary>
public sealed partial class ChartTemplatesTests
{
    [Fact]
    public void Templates_EveryValueRead_ExistsInValuesYaml()
    {
        var values = ChartValues.Load();

        var missing = ReferencedPaths().Where(path => Resolve(values, path) is null).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void ValuesYaml_EveryValue_IsReadByATemplate()
    {
        var referenced = ReferencedPaths().ToList();

        var unread = Leaves(ChartValues.Load(), "")
            .Where(leaf => !referenced.Any(r => leaf == r || leaf.StartsWith(r + ".", StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(unread);
    }

    /// <summary>Dotted value paths read by the templates, with per-file aliases such as <c>$g := .Values.gateway</c> expanded.</summary>
    private static IEnumerable<string> ReferencedPaths()
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(ChartValues.ChartDirectory, "templates")))
        {
            var text = File.ReadAllText(file);
            var aliases = AliasPattern().Matches(text).ToDictionary(m => m.Groups["alias"].Value, m => m.Groups["path"].Value);
            // An alias definition reads nothing by itself: what is read through the alias counts.
            foreach (Match m in ReferencePattern().Matches(AliasPattern().Replace(text, "")))
            {
                var root = m.Groups["root"].Value;
                var rest = m.Groups["rest"].Value;
                if (root == ".Values")
                {
                    result.Add(rest);
                }
                else if (aliases.TryGetValue(root, out var prefix))
                {
                    result.Add($"{prefix}.{rest}");
                }
            }
        }

        return result;
    }

    private static JsonNode? Resolve(JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject map || !map.TryGetPropertyValue(part, out node))
            {
                return null;
            }

            // A key present with an empty value ("", null) still exists.
            node ??= JsonValue.Create("");
        }

        return node;
    }

    private static IEnumerable<string> Leaves(JsonNode? node, string path) => node is JsonObject { Count: > 0 } map
        ? map.SelectMany(kv => Leaves(kv.Value, path.Length == 0 ? kv.Key : $"{path}.{kv.Key}"))
        : [path];

    [GeneratedRegex(@"(?<alias>\$[A-Za-z]+)\s*:=\s*\.Values\.(?<path>[A-Za-z0-9_.]+)")]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"(?<root>\.Values|\$[A-Za-z]+)\.(?<rest>[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9_])")]
    private static partial Regex ReferencePattern();
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshPortal.UnitTests.Charts;

/// <summary>
/// Chart values as Helm sees them: YAML read with the core schema's scalar types, and a values
/// file merged over the chart's values.yaml (maps merge key by key, anything else replaces,
/// null removes the key) before values.schema.json is applied.
/// </summary>
public static partial class ChartValues
{
    public static string ChartDirectory { get; } = Path.Combine(Root(), "charts", "meshportal");

    public static JsonObject Load(params string[] overrideFiles)
    {
        var values = Parse(File.ReadAllText(Path.Combine(ChartDirectory, "values.yaml")));
        foreach (var file in overrideFiles)
        {
            MergeInto(values, Parse(File.ReadAllText(Path.Combine(ChartDirectory, file))));
        }

        return values;
    }

    public static JsonObject Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? [] : ToJson(stream.Documents[0].RootNode) as JsonObject ?? [];
    }

    /// <summary>Every document of a multi-document stream, such as a rendered manifest.</summary>
    public static IReadOnlyList<JsonNode?> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).ToList();
    }

    public static void MergeInto(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject map && target[key] is JsonObject existing)
            {
                MergeInto(existing, map);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unsupported YAML node at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerPattern().IsMatch(text) => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
            _ when FloatPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private static string Root()
    {
        if (Environment.GetEnvironmentVariable("MESH_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MeshPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MeshPortal.sln not found above the test binaries: set MESH_ROOT");
    }
}

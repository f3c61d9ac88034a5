using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.Shared.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshPortal.Portal.Config;

/// <summary>
/// The whole config as YAML, in the same shape as the JSON API (YAML is read into the JSON model,
/// so there is one set of names and one strict reader). Errors carry the YAML line.
/// </summary>
public static partial class ConfigYaml
{
    private static readonly JsonSerializerOptions Strict = new(MeshJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Export(MeshConfig config)
    {
        var node = JsonSerializer.SerializeToNode(config.Normalize(), MeshJson.Options)!;
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        return writer.ToString().Replace("\r\n", "\n").TrimEnd('.', '\n', ' ') + "\n";
    }

    /// <summary>The config, or the errors (field and line) that stop it; never a partial config.</summary>
    public static (MeshConfig? Config, IReadOnlyList<ValidationError> Errors) Import(string yaml)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        JsonNode? json;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            json = stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode, "$", lines);
        }
        catch (YamlException ex)
        {
            return (null, [new ValidationError("yaml", $"line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}")]);
        }

        if (json is not JsonObject)
        {
            return (null, [new ValidationError("yaml", "the document must be a mapping with 'services' and 'routes'")]);
        }

        try
        {
            return (json.Deserialize<MeshConfig>(Strict), []);
        }
        catch (JsonException ex)
        {
            var path = ex.Path ?? "$";
            var line = LineOf(path, lines);
            var field = path == "$" ? "yaml" : path.TrimStart('$', '.');
            var message = Api.JsonErrors.Describe(ex);
            return (null, [new ValidationError(field, line is null ? message : $"line {line}: {message}")]);
        }
    }

    private static int? LineOf(string path, Dictionary<string, int> lines)
    {
        for (var p = path; p.Length > 0; p = p[..Math.Max(0, Math.Max(p.LastIndexOf('.'), p.LastIndexOf('[')))])
        {
            if (lines.TryGetValue(p, out var line))
            {
                return line;
            }
        }

        return null;
    }

    private static JsonNode? ToJson(YamlNode node, string path, Dictionary<string, int> lines)
    {
        lines[path] = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    lines[$"{path}.{name}"] = (int)key.Start.Line;
                    obj[name] = ToJson(value, $"{path}.{name}", lines);
                }

                return obj;
            case YamlSequenceNode seq:
                return new JsonArray([.. seq.Children.Select((child, i) => ToJson(child, $"{path}[{i}]", lines))]);
            case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain:
                return PlainScalar(scalar.Value ?? "");
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value);
            default:
                throw new YamlException(node.Start, node.End, "aliases are not supported");
        }
    }

    private static JsonNode? PlainScalar(string value) => value switch
    {
        "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject obj => new YamlMappingNode(obj.Select(kv => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(kv.Key), ToYaml(kv.Value)))),
        JsonArray array => new YamlSequenceNode(array.Select(ToYaml)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => StringScalar(value.GetValue<string>()),
        null => new YamlScalarNode("null"),
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    /// <summary>Plain where unambiguous, quoted where a plain scalar would read as another type.</summary>
    private static YamlScalarNode StringScalar(string value) =>
        SafePlain().IsMatch(value) && PlainScalar(value) is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? new YamlScalarNode(value)
            : new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };

    [GeneratedRegex("^[A-Za-z_/][A-Za-z0-9_./-]*$")]
    private static partial Regex SafePlain();
}

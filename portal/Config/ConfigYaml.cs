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
        RespectNullableAnnotations = true,
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
        JsonNode? json;
        YamlLineMap lines;
        try
        {
            (json, lines) = YamlJsonReader.Read(yaml);
        }
        catch (YamlInputException ex)
        {
            return (null, [new ValidationError("yaml", $"line {ex.Line}, column {ex.Column}: {ex.Message}")]);
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
            var line = lines.LineOf(path);
            var field = path == "$" ? "yaml" : path.TrimStart('$', '.');
            var message = Api.JsonErrors.Describe(ex);
            return (null, [new ValidationError(field, line is null ? message : $"line {line}: {message}")]);
        }
    }

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
        SafePlain().IsMatch(value) && YamlScalars.ReadsAsString(value)
            ? new YamlScalarNode(value)
            : new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };

    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./-]*\z")]
    private static partial Regex SafePlain();
}

using System.Text.Json;
using System.Text.Json.Serialization;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Api;

/// <summary>
/// Refuses control characters (tab aside) and unpaired surrogates in every string of a request
/// body, keys included, so a NUL never travels on to PostgreSQL; the serializer adds the JSON path.
/// </summary>
public sealed class CleanStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? Clean(reader.GetString()!)
            : throw new JsonException($"The JSON value could not be converted to {typeof(string).FullName}.");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Clean(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);

    private static string Clean(string value) =>
        TextRules.Problem(value, allowTab: true) is { } problem ? throw new JsonException($"the text {problem}") : value;
}

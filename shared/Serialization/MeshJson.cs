using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshPortal.Shared.Serialization;

/// <summary>The JSON shape shared by the API, the event store and the fleet protocol.</summary>
public static class MeshJson
{
    /// <summary>Deeper than any message of ours (a config is 8 levels), far below what could exhaust a stack.</summary>
    public const int MaxDepth = 32;

    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));

        // Strict reading: a number sent as a string or a key given twice is a mistake to report,
        // not something to guess about (the web defaults accept "5" and keep the last duplicate).
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = MaxDepth;
        return options;
    }
}

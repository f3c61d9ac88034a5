using System.Text.Json;
using System.Text.RegularExpressions;

namespace MeshPortal.Portal.Api;

/// <summary>Turns System.Text.Json's messages into ones that speak of fields, not .NET types.</summary>
public static partial class JsonErrors
{
    public static string Describe(JsonException ex)
    {
        var message = ex.Message.Split(" Path:")[0];
        if (UnknownMember().Match(message) is { Success: true } unknown)
        {
            return $"unknown field '{unknown.Groups[1].Value}'";
        }

        if (Duplicate().Match(message) is { Success: true } duplicate)
        {
            return $"the field '{duplicate.Groups[1].Value}' appears twice";
        }

        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            return $"missing required field(s) {missing.Groups[1].Value}";
        }

        return ConversionTarget().Match(message) is { Success: true } conversion
            ? $"expected {Friendly(conversion.Groups[1].Value)}"
            : message;
    }

    private static string Friendly(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.String" => "a string",
        _ when type.Contains("IReadOnlyList") => "a list",
        _ => "an object",
    };

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex("(?i)duplicate propert[^']*'([^']*)'")]
    private static partial Regex Duplicate();

    [GeneratedRegex("missing required properties including: (.*)\\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("could not be converted to ([^.\\s]+(?:\\.[^.\\s]+)*)\\.?")]
    private static partial Regex ConversionTarget();
}

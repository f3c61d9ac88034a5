using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshPortal.Portal.Config;

/// <summary>What an unquoted YAML scalar means: null, a boolean, a number (as JSON spells them) or text.</summary>
public static partial class YamlScalars
{
    /// <summary>False only for a number too large for a double.</summary>
    public static bool TryPlain(string text, out JsonNode? value)
    {
        value = null;
        switch (text)
        {
            case "" or "~" or "null":
                return true;
            case "true":
                value = JsonValue.Create(true);
                return true;
            case "false":
                value = JsonValue.Create(false);
                return true;
        }

        if (!Number().IsMatch(text))
        {
            value = JsonValue.Create(text);
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            value = JsonValue.Create(whole);
            return true;
        }

        // Only digits, sign, point and exponent reach here, so "NaN" or "Infinity" never read as numbers.
        var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        value = JsonValue.Create(number);
        return double.IsFinite(number);
    }

    /// <summary>True when <paramref name="text"/> written unquoted reads back as the same string.</summary>
    public static bool ReadsAsString(string text) =>
        TryPlain(text, out var value) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex Number();
}

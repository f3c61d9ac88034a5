namespace MeshPortal.Shared.Validation;

/// <summary>
/// Which characters a text field may hold. Control characters are never meaningful in names,
/// addresses or reasons, PostgreSQL refuses NUL in text and JSONB, and an unpaired UTF-16
/// surrogate cannot be encoded at all; so they are refused where text comes in, with the field named.
/// </summary>
public static class TextRules
{
    /// <summary>The problem with <paramref name="value"/>, or null when it is clean.</summary>
    /// <param name="allowTab">Tab is kept where it can be meant, as in an HTTP header value.</param>
    public static string? Problem(string? value, bool allowTab = false)
    {
        if (value is null)
        {
            return null;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains an unpaired surrogate U+{(int)c:X4} at position {i + 1}";
            }
            else if (char.IsControl(c) && !(allowTab && c == '\t'))
            {
                return $"contains the control character U+{(int)c:X4} at position {i + 1}; control characters are not allowed";
            }
        }

        return null;
    }

    public static bool IsClean(string? value, bool allowTab = false) => Problem(value, allowTab) is null;

    public static void Require(ErrorCollector errors, string field, string? value, bool allowTab = false)
    {
        if (Problem(value, allowTab) is { } problem)
        {
            errors.Add(field, problem);
        }
    }
}

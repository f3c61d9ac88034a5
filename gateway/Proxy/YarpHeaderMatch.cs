using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// A YARP route header match, decided as YARP 2.3's header matcher policy decides it (which is internal to YARP):
/// exact and prefix matches compare each comma-separated value (semicolon-separated for Cookie), quotes stripped.
/// </summary>
internal static class YarpHeaderMatch
{
    public static bool Matches(RouteHeader header, IHeaderDictionary headers)
    {
        headers.TryGetValue(header.Name, out var values);
        var empty = StringValues.IsNullOrEmpty(values);
        var comparison = header.IsCaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var expected = header.Values ?? [];
        return header.Mode switch
        {
            HeaderMatchMode.Exists => !empty,
            HeaderMatchMode.NotExists => empty,
            HeaderMatchMode.ExactHeader or HeaderMatchMode.HeaderPrefix => !empty && AnyValue(header, values, expected, comparison),
            HeaderMatchMode.Contains => !empty && Contains(values, expected, comparison),
            HeaderMatchMode.NotContains => empty || !Contains(values, expected, comparison),
            _ => false,
        };
    }

    private static bool AnyValue(RouteHeader header, StringValues values, IReadOnlyList<string> expected, StringComparison comparison)
    {
        var separator = header.Name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) ? ';' : ',';
        foreach (var raw in values)
        {
            var rest = raw.AsSpan();
            while (!rest.IsEmpty)
            {
                rest = rest.TrimStart(' ');
                var end = SeparatorOutsideQuotes(rest, separator);
                var value = end < 0 ? rest : rest[..end];
                rest = end < 0 ? default : rest[(end + 1)..];
                if (value.Length > 1 && value[0] == '"' && value[^1] == '"')
                {
                    value = value[1..^1];
                }

                foreach (var candidate in expected)
                {
                    if (header.Mode == HeaderMatchMode.ExactHeader ? value.Equals(candidate, comparison) : value.StartsWith(candidate, comparison))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Where the next separator is, one inside a pair of quotes not counting; -1 if none.</summary>
    private static int SeparatorOutsideQuotes(ReadOnlySpan<char> value, char separator)
    {
        var at = value.IndexOfAny('"', separator);
        while (at >= 0 && value[at] == '"')
        {
            var closing = value[(at + 1)..].IndexOf('"');
            if (closing < 0)
            {
                return -1;
            }

            var offset = at + closing + 2;
            var next = value[offset..].IndexOfAny('"', separator);
            at = next < 0 ? -1 : next + offset;
        }

        return at;
    }

    private static bool Contains(StringValues values, IReadOnlyList<string> expected, StringComparison comparison)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var candidate in expected)
            {
                if (value.Contains(candidate, comparison))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

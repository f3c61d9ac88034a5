namespace MeshPortal.Portal.Telemetry;

/// <summary>Orders names as people read them: svc2 before svc10, digits compared as numbers.</summary>
public sealed class TopologyNaturalOrder : IComparer<string>
{
    public static readonly TopologyNaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (a, b) = (Digits(x, ref i), Digits(y, ref j));
                var byNumber = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                if (byNumber != 0)
                {
                    return byNumber;
                }

                continue;
            }

            var byChar = char.ToLowerInvariant(x[i]).CompareTo(char.ToLowerInvariant(y[j]));
            if (byChar != 0)
            {
                return byChar;
            }

            i++;
            j++;
        }

        return (x.Length - i).CompareTo(y.Length - j) is var rest and not 0 ? rest : string.CompareOrdinal(x, y);
    }

    /// <summary>The run of digits at <paramref name="at"/>, without leading zeros.</summary>
    private static string Digits(string s, ref int at)
    {
        var start = at;
        while (at < s.Length && char.IsAsciiDigit(s[at]))
        {
            at++;
        }

        return s[start..at].TrimStart('0');
    }
}

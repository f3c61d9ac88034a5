namespace MeshPortal.Portal.Lists;

/// <summary>
/// Orders names the way people read them: runs of digits compare as numbers, so svc2 comes before
/// svc10 (text order puts svc10, svc100 and svc1000 before svc2). Ties fall back to ordinal order
/// so that two different names never compare equal.
/// </summary>
public sealed class NaturalComparer : IComparer<string?>
{
    public static readonly NaturalComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var byNumber = CompareNumbers(x, ref i, y, ref j);
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

        var byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    /// <summary>Compares two digit runs by value without parsing (they may be longer than a long).</summary>
    private static int CompareNumbers(string x, ref int i, string y, ref int j)
    {
        var xs = i;
        var ys = j;
        while (i < x.Length && char.IsAsciiDigit(x[i]))
        {
            i++;
        }

        while (j < y.Length && char.IsAsciiDigit(y[j]))
        {
            j++;
        }

        var a = x.AsSpan(xs, i - xs).TrimStart('0');
        var b = y.AsSpan(ys, j - ys).TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }
}

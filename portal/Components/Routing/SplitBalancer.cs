namespace MeshPortal.Portal.Components.Routing;

/// <summary>
/// Keeps a traffic split at 100%: moving one weight rebalances the unlocked others in proportion
/// to their current weights (largest remainder, so the integers always sum to 100).
/// </summary>
public static class SplitBalancer
{
    public const int Total = 100;

    public static int[] Set(IReadOnlyList<int> weights, IReadOnlyList<bool> locked, int index, int value)
    {
        var result = weights.ToArray();
        var lockedSum = Enumerable.Range(0, result.Length).Where(i => i != index && locked[i]).Sum(i => result[i]);
        var others = Enumerable.Range(0, result.Length).Where(i => i != index && !locked[i]).ToList();
        result[index] = others.Count == 0 ? Total - lockedSum : Math.Clamp(value, 0, Total - lockedSum);
        Distribute(result, others, Total - lockedSum - result[index]);
        return result;
    }

    public static int[] Even(IReadOnlyList<int> weights, IReadOnlyList<bool> locked)
    {
        var result = weights.ToArray();
        var free = Enumerable.Range(0, result.Length).Where(i => !locked[i]).ToList();
        foreach (var i in free)
        {
            result[i] = 1;
        }

        Distribute(result, free, Total - Enumerable.Range(0, result.Length).Where(i => locked[i]).Sum(i => result[i]));
        return result;
    }

    /// <summary>Whole percentages from arbitrary integer weights (what the API stores).</summary>
    public static int[] ToPercent(IReadOnlyList<int> weights)
    {
        var result = new int[weights.Count];
        Distribute(result, [.. Enumerable.Range(0, weights.Count)], Total, weights);
        return result;
    }

    private static void Distribute(int[] result, IReadOnlyList<int> indexes, int amount, IReadOnlyList<int>? basis = null)
    {
        if (indexes.Count == 0)
        {
            return;
        }

        basis ??= result;
        var sum = indexes.Sum(i => (long)basis[i]);
        var shares = indexes.Select(i => sum > 0 ? (double)amount * basis[i] / sum : (double)amount / indexes.Count).ToArray();
        var floors = shares.Select(s => (int)Math.Floor(s)).ToArray();
        var left = amount - floors.Sum();
        var byRemainder = Enumerable.Range(0, indexes.Count).OrderByDescending(k => shares[k] - floors[k]).ThenBy(k => k).Take(Math.Max(0, left));
        foreach (var k in byRemainder)
        {
            floors[k]++;
        }

        for (var k = 0; k < indexes.Count; k++)
        {
            result[indexes[k]] = floors[k];
        }
    }
}

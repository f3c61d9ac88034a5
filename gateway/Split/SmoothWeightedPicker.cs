namespace MeshPortal.Gateway.Split;

/// <summary>
/// Picks an index by weight with smooth weighted round-robin: over every period of
/// sum(weights) picks each index is chosen exactly in proportion to its weight, evenly interleaved.
/// </summary>
/// <remarks>
/// The sequence of one period is computed once, so a pick on the hot path is one interlocked
/// increment and an array read: no lock, no allocation, exact proportions under concurrency.
/// </remarks>
internal sealed class SmoothWeightedPicker
{
    /// <summary>Longest period kept; larger weight sums are scaled down (error below 0.01 %).</summary>
    internal const int MaxPeriod = 10_000;

    private readonly int[] _sequence;
    private long _picks = -1;

    public SmoothWeightedPicker(IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0 || weights.Any(w => w < 0) || weights.All(w => w == 0))
        {
            throw new ArgumentException("weights must be ≥ 0 with at least one > 0", nameof(weights));
        }

        _sequence = BuildSequence(Reduce(weights));
    }

    public int Next()
    {
        var pick = (ulong)Interlocked.Increment(ref _picks);
        return _sequence[(int)(pick % (ulong)_sequence.Length)];
    }

    private static int[] Reduce(IReadOnlyList<int> weights)
    {
        var reduced = weights.ToArray();
        var total = reduced.Sum(w => (long)w);
        if (total > MaxPeriod)
        {
            // Keep every positive weight at least 1 so a small backend still gets its trickle of traffic.
            for (var i = 0; i < reduced.Length; i++)
            {
                reduced[i] = reduced[i] == 0 ? 0 : (int)Math.Max(1, Math.Round((double)reduced[i] * MaxPeriod / total));
            }
        }

        var divisor = reduced.Where(w => w > 0).Aggregate(0, Gcd);
        return [.. reduced.Select(w => w / divisor)];
    }

    private static int[] BuildSequence(int[] weights)
    {
        var total = weights.Sum();
        var current = new long[weights.Length];
        var sequence = new int[total];
        for (var step = 0; step < total; step++)
        {
            var best = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            sequence[step] = best;
        }

        return sequence;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}

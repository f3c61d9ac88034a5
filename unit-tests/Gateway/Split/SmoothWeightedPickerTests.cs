using MeshPortal.Gateway.Split;

namespace MeshPortal.UnitTests.Gateway.Split;

public sealed class SmoothWeightedPickerTests
{
    private const int Picks = 10_000;

    [Theory]
    [InlineData(new[] { 90, 10 })]
    [InlineData(new[] { 50, 50 })]
    [InlineData(new[] { 99, 1 })]
    [InlineData(new[] { 60, 30, 10 })]
    [InlineData(new[] { 1, 2, 3, 4 })]
    [InlineData(new[] { 333_333, 666_667 })]
    public void Next_TenThousandPicks_SplitWithinOnePointOfWeights(int[] weights)
    {
        var picker = new SmoothWeightedPicker(weights);

        var counts = Count(picker, Picks, weights.Length);

        var total = weights.Sum(w => (double)w);
        for (var i = 0; i < weights.Length; i++)
        {
            var expected = 100 * weights[i] / total;
            var observed = 100.0 * counts[i] / Picks;
            Assert.True(Math.Abs(expected - observed) <= 1, $"backend {i}: expected {expected:0.00} %, observed {observed:0.00} %");
        }
    }

    [Fact]
    public void Next_ZeroWeights_NeverPicked()
    {
        var picker = new SmoothWeightedPicker([0, 5, 0, 5, 0]);

        var counts = Count(picker, Picks, 5);

        Assert.Equal([0, Picks / 2, 0, Picks / 2, 0], counts);
    }

    [Fact]
    public void Next_NinetyTen_InterleavesInsteadOfBursting()
    {
        var picker = new SmoothWeightedPicker([90, 10]);

        var firstPeriod = Enumerable.Range(0, 10).Select(_ => picker.Next()).ToList();

        Assert.Equal([0, 0, 0, 0, 0, 1, 0, 0, 0, 0], firstPeriod);
    }

    [Fact]
    public void Next_ConcurrentCallers_ExactProportionsOverWholePeriods()
    {
        var picker = new SmoothWeightedPicker([60, 30, 10]);
        var counts = new int[3];

        Parallel.For(0, Picks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => Interlocked.Increment(ref counts[picker.Next()]));

        Assert.Equal([6_000, 3_000, 1_000], counts);
    }

    [Fact]
    public void Next_HugeWeightSum_SmallWeightStillPickedOncePerBoundedPeriod()
    {
        var picker = new SmoothWeightedPicker([int.MaxValue / 2, 1]);

        var counts = Count(picker, SmoothWeightedPicker.MaxPeriod + 1, 2);

        Assert.Equal(1, counts[1]);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0, 0 })]
    [InlineData(new[] { 5, -1 })]
    public void Constructor_NoPositiveOrNegativeWeight_Throws(int[] weights) =>
        Assert.Throws<ArgumentException>(() => new SmoothWeightedPicker(weights));

    private static int[] Count(SmoothWeightedPicker picker, int picks, int backends)
    {
        var counts = new int[backends];
        for (var i = 0; i < picks; i++)
        {
            counts[picker.Next()]++;
        }

        return counts;
    }
}

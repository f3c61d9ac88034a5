using MeshPortal.Portal.Components.Routing;

namespace MeshPortal.UnitTests.Portal.Components;

public sealed class SplitBalancerTests
{
    [Fact]
    public void Set_TwoSubsets_OtherTakesTheRest() =>
        Assert.Equal([70, 30], SplitBalancer.Set([50, 50], [false, false], 0, 70));

    [Fact]
    public void Set_ThreeSubsets_OthersKeepTheirProportion() =>
        Assert.Equal([40, 45, 15], SplitBalancer.Set([60, 30, 10], [false, false, false], 0, 40));

    [Fact]
    public void Set_OneLocked_LockedUntouchedAndValueCapped()
    {
        var result = SplitBalancer.Set([50, 30, 20], [false, true, false], 0, 90);
        Assert.Equal([70, 30, 0], result);
    }

    [Fact]
    public void Set_AllOthersLocked_ValueForcedToRemainder() =>
        Assert.Equal([60, 40], SplitBalancer.Set([60, 40], [false, true], 0, 10));

    [Theory]
    [InlineData(new[] { 1, 1, 1 }, new[] { 34, 33, 33 })]
    [InlineData(new[] { 9, 1 }, new[] { 90, 10 })]
    [InlineData(new[] { 0, 0, 5 }, new[] { 0, 0, 100 })]
    public void ToPercent_AnyWeights_SumsTo100(int[] weights, int[] expected) =>
        Assert.Equal(expected, SplitBalancer.ToPercent(weights));

    [Fact]
    public void Even_ThreeUnlocked_SumsTo100() =>
        Assert.Equal([34, 33, 33], SplitBalancer.Even([100, 0, 0], [false, false, false]));

    [Fact]
    public void Even_OneLocked_SplitsTheRest() =>
        Assert.Equal([40, 30, 30], SplitBalancer.Even([40, 60, 0], [true, false, false]));

    [Fact]
    public void Set_ManyRandomMoves_AlwaysSumsTo100()
    {
        var random = new Random(7);
        int[] weights = [25, 25, 25, 25];
        for (var i = 0; i < 500; i++)
        {
            bool[] locked = [.. Enumerable.Range(0, 4).Select(_ => random.Next(4) == 0)];
            weights = SplitBalancer.Set(weights, locked, random.Next(4), random.Next(-10, 120));
            Assert.Equal(100, weights.Sum());
            Assert.All(weights, w => Assert.InRange(w, 0, 100));
        }
    }
}

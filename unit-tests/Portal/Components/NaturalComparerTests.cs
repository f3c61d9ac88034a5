using MeshPortal.Portal.Lists;

namespace MeshPortal.UnitTests.Portal.Components;

public sealed class NaturalComparerTests
{
    [Fact]
    public void Order_NumberedNames_ReadingOrder() =>
        Assert.Equal(["svc1", "svc2", "svc10", "svc100", "svc101", "svc1000"],
            new[] { "svc1000", "svc10", "svc101", "svc2", "svc100", "svc1" }.Order(NaturalComparer.Instance));

    [Fact]
    public void Compare_LeadingZerosAndCase_EqualValuesStillDistinct()
    {
        Assert.True(NaturalComparer.Instance.Compare("a01", "a1") != 0);
        Assert.True(NaturalComparer.Instance.Compare("Alpha2", "alpha10") < 0);
        Assert.Equal(0, NaturalComparer.Instance.Compare("x9", "x9"));
    }

    [Fact]
    public void Compare_DigitRunsLongerThanALong_ComparedByValue() =>
        Assert.True(NaturalComparer.Instance.Compare("n99999999999999999999", "n100000000000000000000") < 0);
}

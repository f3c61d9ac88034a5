using MeshPortal.Portal.Telemetry;

namespace MeshPortal.UnitTests.Portal.Telemetry;

public sealed class TopologyNaturalOrderTests
{
    [Fact]
    public void Compare_NumberedNames_NumbersInOrder() =>
        Assert.Equal(["svc1", "svc2", "svc10", "svc100", "svc101", "svc1000"],
            new[] { "svc1000", "svc101", "svc10", "svc1", "svc100", "svc2" }.Order(TopologyNaturalOrder.Instance));
}

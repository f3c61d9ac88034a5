using MeshPortal.Gateway.Fleet;

namespace MeshPortal.UnitTests.Gateway.Fleet;

public sealed class PortalRotationTests
{
    private static readonly Uri A = new("ws://127.0.0.1:5000/hubs/fleet");
    private static readonly Uri B = new("ws://127.0.0.1:5001/hubs/fleet");

    [Fact]
    public void Next_TwoReplicas_FirstThenEachInTurn()
    {
        var rotation = new PortalRotation([A, B]);

        Assert.Equal(A, rotation.Current);
        Assert.Equal(new[] { A, B, A }, new[] { rotation.Next(), rotation.Next(), rotation.Next() });
        Assert.Equal(A, rotation.Current);
    }

    [Fact]
    public void Next_OneUrl_AlwaysIt()
    {
        var rotation = new PortalRotation([A]);

        Assert.Equal(new[] { A, A }, new[] { rotation.Next(), rotation.Next() });
    }
}

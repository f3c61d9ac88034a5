using MeshPortal.Gateway.Proxy;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class RequestIdsTests
{
    [Fact]
    public void Next_ManyFromParallelRequests_AllDistinctAndShapedLikeGuids()
    {
        var ids = new string[10_000];

        Parallel.For(0, ids.Length, i => ids[i] = RequestIds.Next());

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }
}

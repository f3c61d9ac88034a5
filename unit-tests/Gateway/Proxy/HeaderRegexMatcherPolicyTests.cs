using MeshPortal.Gateway.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace MeshPortal.UnitTests.Gateway.Proxy;

public sealed class HeaderRegexMatcherPolicyTests
{
    private static readonly Endpoint Canary = Endpoint("canary", new HeaderRegexMetadata([new HeaderRegexRule("x-canary", "^(yes|true)$")]));
    private static readonly Endpoint Stable = Endpoint("stable");

    [Theory]
    [InlineData("yes", true)]
    [InlineData("true", true)]
    [InlineData("yes please", false)]
    [InlineData(null, false)]
    public async Task ApplyAsync_RegexHeader_CandidateValidOnlyWhenItMatches(string? header, bool canaryValid)
    {
        var policy = new HeaderRegexMatcherPolicy();
        var context = new DefaultHttpContext();
        if (header is not null)
        {
            context.Request.Headers["x-canary"] = header;
        }

        var candidates = new CandidateSet([Canary, Stable], [new RouteValueDictionary(), new RouteValueDictionary()], [0, 1]);

        await policy.ApplyAsync(context, candidates);

        Assert.Equal(canaryValid, candidates.IsValidCandidate(0));
        Assert.True(candidates.IsValidCandidate(1));
    }

    [Fact]
    public void AppliesToEndpoints_OnlyWhenSomeEndpointHasRegexRules()
    {
        var policy = new HeaderRegexMatcherPolicy();

        Assert.True(policy.AppliesToEndpoints([Stable, Canary]));
        Assert.False(policy.AppliesToEndpoints([Stable]));
    }

    private static Endpoint Endpoint(string name, params object[] metadata) =>
        new(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), name);
}

using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Drops candidate routes whose regex header matches fail, during endpoint selection, so the
/// request falls through to the next matching route exactly as for YARP's own header matches.
/// </summary>
internal sealed class HeaderRegexMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // Run after YARP's own matchers, which filter out most candidates more cheaply.
    public override int Order => int.MaxValue - 100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<HeaderRegexMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i)
                && candidates[i].Endpoint.Metadata.GetMetadata<HeaderRegexMetadata>() is { } metadata
                && !metadata.Rules.All(rule => rule.Matches(httpContext.Request.Headers)))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}

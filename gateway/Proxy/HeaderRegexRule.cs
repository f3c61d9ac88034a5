using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Gateway.Proxy;

/// <summary>A header that must match a regular expression; YARP 2.1 has no regex header match.</summary>
internal sealed class HeaderRegexRule(string header, string pattern)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _regex = new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    public string Header { get; } = header;

    public bool Matches(IHeaderDictionary headers)
    {
        foreach (var value in headers[Header])
        {
            try
            {
                if (value is not null && _regex.IsMatch(value))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological header must not stall the proxy: treat it as no match.
            }
        }

        return false;
    }
}

/// <summary>Endpoint metadata: every rule must match for the route to be selected.</summary>
internal sealed record HeaderRegexMetadata(IReadOnlyList<HeaderRegexRule> Rules);

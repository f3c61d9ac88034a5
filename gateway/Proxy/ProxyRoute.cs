using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// One YARP route endpoint as <see cref="ProxyRouteTable"/> matches it: the same tests ASP.NET routing makes with
/// YARP's and the gateway's matcher policies (path, method, YARP header matches, regex header matches), for the
/// kinds of route the translator makes. <see cref="From"/> returns null for any other kind.
/// </summary>
internal sealed class ProxyRoute
{
    private readonly string[] _pathLiterals;
    private readonly RouteHeader[] _headers;
    private readonly IReadOnlyList<HeaderRegexRule> _regexes;

    private ProxyRoute(Endpoint endpoint, int order, string[] pathLiterals, IReadOnlyList<string>? methods,
        RouteHeader[] headers, IReadOnlyList<HeaderRegexRule> regexes, IReadOnlyList<HostKey> hosts)
    {
        Endpoint = endpoint;
        Order = order;
        _pathLiterals = pathLiterals;
        Methods = methods;
        _headers = headers;
        _regexes = regexes;
        Hosts = hosts;
    }

    public Endpoint Endpoint { get; }

    public int Order { get; }

    /// <summary>The methods the route accepts; null for any.</summary>
    public IReadOnlyList<string>? Methods { get; }

    /// <summary>The hosts the route matches (<see cref="RouteHosts"/>); none for any host.</summary>
    public IReadOnlyList<HostKey> Hosts { get; }

    /// <summary>
    /// The route of <paramref name="endpoint"/>, or null when it has a part this matching does not know (a path
    /// other than literal segments and a catch-all, YARP hosts or query matches, CORS preflight), so that
    /// ASP.NET routing must match it.
    /// </summary>
    public static ProxyRoute? From(Endpoint endpoint)
    {
        if (endpoint is not RouteEndpoint route || endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Match is not { } match
            || match.Hosts is { Count: > 0 } || match.QueryParameters is { Count: > 0 }
            || endpoint.Metadata.GetMetadata<IHostMetadata>() is { Hosts.Count: > 0 }
            || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { AcceptCorsPreflight: true }
            || PathLiterals(route.RoutePattern) is not { } literals)
        {
            return null;
        }

        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } listed ? listed : null;
        var hosts = endpoint.Metadata.GetMetadata<RouteHosts>()?.Hosts.Select(HostKey.Parse).ToArray() ?? [];
        var regexes = endpoint.Metadata.GetMetadata<HeaderRegexMetadata>()?.Rules ?? [];
        return new ProxyRoute(endpoint, route.Order, literals, methods, [.. match.Headers ?? []], regexes, hosts);
    }

    /// <summary>The literal segments before the pattern's final catch-all, or null for any other pattern.</summary>
    private static string[]? PathLiterals(RoutePattern pattern)
    {
        var segments = pattern.PathSegments;
        if (segments.Count == 0 || segments[^1].Parts is not [RoutePatternParameterPart { IsCatchAll: true } catchAll]
            || catchAll.ParameterPolicies.Count > 0 || catchAll.Default is not null || pattern.Defaults.Count > 0)
        {
            return null;
        }

        var literals = new string[segments.Count - 1];
        for (var i = 0; i < literals.Length; i++)
        {
            if (segments[i].Parts is not [RoutePatternLiteralPart literal])
            {
                return null;
            }

            literals[i] = literal.Content;
        }

        return literals;
    }

    /// <summary>Whether the path starts with the route's literal segments (case-insensitive, as ASP.NET compares them).</summary>
    public bool MatchesPath(string path)
    {
        var rest = path.AsSpan();
        foreach (var literal in _pathLiterals)
        {
            if (rest.Length == 0 || rest[0] != '/')
            {
                return false;
            }

            rest = rest[1..];
            var end = rest.IndexOf('/');
            var segment = end < 0 ? rest : rest[..end];
            if (!segment.Equals(literal, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            rest = rest[segment.Length..];
        }

        return true;
    }

    public bool AcceptsMethod(string method)
    {
        if (Methods is null)
        {
            return true;
        }

        foreach (var accepted in Methods)
        {
            if (HttpMethods.Equals(method, accepted))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The route's header matches, YARP's and the regex ones: all must hold.</summary>
    public bool MatchesHeaders(IHeaderDictionary headers)
    {
        foreach (var header in _headers)
        {
            if (!YarpHeaderMatch.Matches(header, headers))
            {
                return false;
            }
        }

        foreach (var rule in _regexes)
        {
            if (!rule.Matches(headers))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the route serves the request, its host aside.</summary>
    public bool Matches(HttpRequest request) =>
        MatchesPath(request.Path.Value ?? "") && AcceptsMethod(request.Method) && MatchesHeaders(request.Headers);
}

using System.Text.RegularExpressions;
using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Validation;

public static class RouteValidator
{
    private static readonly HashSet<string> KnownMethods =
        ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"];

    /// <summary>Validates one route against the services of <paramref name="mesh"/>.</summary>
    public static void Validate(RouteConfig route, MeshConfig mesh, ErrorCollector errors) =>
        Validate(route, mesh.ServicesByName(), errors);

    /// <summary>Validates one route against services already indexed by name (<see cref="MeshConfig.ServicesByName"/>).</summary>
    public static void Validate(RouteConfig route, IReadOnlyDictionary<string, ServiceConfig> services, ErrorCollector errors)
    {
        NameRules.RequireDnsLabel(errors, "id", route.Id);
        ValidateMatch(route.Match, errors.Nested("match"));
        BackendValidator.Validate(route.Backends, services, errors);
        PolicyValidator.Validate(route.Policies, errors.Nested("policies"));
    }

    public static void ValidateMatch(RouteMatch? match, ErrorCollector errors)
    {
        if (match is null)
        {
            errors.Add("", "is required");
            return;
        }

        for (var i = 0; i < match.Hosts.Count; i++)
        {
            if (Uri.CheckHostName(match.Hosts[i]?.Split(':')[0]) == UriHostNameType.Unknown)
            {
                errors.Add($"hosts[{i}]", $"'{match.Hosts[i]}' is not a host name");
            }
        }

        if (match.PathPrefix is { } prefix && !prefix.StartsWith('/'))
        {
            errors.Add("pathPrefix", $"must start with '/', got '{prefix}'");
        }

        TextRules.Require(errors, "pathPrefix", match.PathPrefix);

        for (var i = 0; i < match.Methods.Count; i++)
        {
            if (!KnownMethods.Contains(match.Methods[i] ?? ""))
            {
                errors.Add($"methods[{i}]", $"unknown HTTP method '{match.Methods[i]}'");
            }
        }

        for (var i = 0; i < match.Headers.Count; i++)
        {
            ValidateHeader(match.Headers[i], errors.Nested($"headers[{i}]"));
        }

        if (match.Hosts.Count == 0 && match.PathPrefix is null && match.Headers.Count == 0)
        {
            errors.Add("hosts", "a route must match at least a host, a path prefix or a header");
        }
    }

    private static void ValidateHeader(HeaderMatch? header, ErrorCollector errors)
    {
        if (header is null)
        {
            errors.Add("", "must not be null");
            return;
        }

        if (string.IsNullOrWhiteSpace(header.Name))
        {
            errors.Add("name", "is required");
        }

        TextRules.Require(errors, "name", header.Name);
        TextRules.Require(errors, "value", header.Value, allowTab: true);

        if (!header.Regex)
        {
            return;
        }

        try
        {
            _ = new Regex(header.Value, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException ex)
        {
            errors.Add("value", $"invalid regular expression '{header.Value}': {ex.Message}");
        }
    }
}

using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Validation;

/// <summary>
/// Validates a whole config. The portal runs it on the candidate state before appending an event,
/// and every gateway runs it again before applying a snapshot.
/// </summary>
public static class MeshValidator
{
    public static IReadOnlyList<ValidationError> Validate(MeshConfig config)
    {
        var errors = new ErrorCollector();
        ValidateServices(config, errors);
        ValidateRoutes(config, errors);
        return errors.Errors;
    }

    private static void ValidateServices(MeshConfig config, ErrorCollector errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in config.Services)
        {
            if (service is null)
            {
                errors.Add("services", "must not contain null");
                continue;
            }

            var at = errors.Nested($"services[{service.Name}]");
            if (!seen.Add(service.Name))
            {
                at.Add("name", $"duplicate service '{service.Name}'");
            }

            ServiceValidator.Validate(service, at);
        }
    }

    private static void ValidateRoutes(MeshConfig config, ErrorCollector errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var matches = new Dictionary<string, string>(StringComparer.Ordinal);
        var services = config.ServicesByName();
        foreach (var route in config.Routes)
        {
            if (route is null)
            {
                errors.Add("routes", "must not contain null");
                continue;
            }

            var at = errors.Nested($"routes[{route.Id}]");
            if (!seen.Add(route.Id))
            {
                at.Add("id", $"duplicate route id '{route.Id}'");
            }

            RouteValidator.Validate(route, services, at);
            var key = MatchKey(route);
            if (!matches.TryAdd(key, route.Id))
            {
                at.Add("match", $"route '{matches[key]}' has the same match and order {route.Order}");
            }
        }
    }

    /// <summary>Identifies routes that would shadow each other: same order and same match.</summary>
    public static string MatchKey(RouteConfig route)
    {
        var m = route.Match;
        return string.Join('|',
            route.Order,
            string.Join(',', m.Hosts.Order(StringComparer.OrdinalIgnoreCase)).ToLowerInvariant(),
            m.PathPrefix ?? "",
            string.Join(',', m.Methods.Order(StringComparer.Ordinal)),
            string.Join(',', m.Headers.OfType<HeaderMatch>().Select(h => $"{h.Name?.ToLowerInvariant()}{(h.Regex ? "~" : "=")}{h.Value}").Order(StringComparer.Ordinal)));
    }
}

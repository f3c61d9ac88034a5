using System.Runtime.CompilerServices;
using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Validation;

/// <summary>
/// Validates a whole config. The portal runs it on the candidate state before appending an event,
/// and every gateway runs it again before applying a snapshot.
/// </summary>
/// <remarks>
/// What a service or a route alone decides (its names, match, policies, instances) is a function of the
/// record instance, so a pass that found an item valid remembers the instance and the next pass checks
/// only what depends on the rest of the mesh: duplicates, backends and shadowing matches. After a
/// one-route change a whole-mesh validation costs a dictionary lookup per item and the changed route's checks.
/// </remarks>
public static class MeshValidator
{
    private static readonly ConditionalWeakTable<object, string> ValidItems = [];

    public static IReadOnlyList<ValidationError> Validate(MeshConfig config)
    {
        var errors = new ErrorCollector();
        ValidateServices(config, errors);
        ValidateRoutes(config, errors);
        return errors.Errors;
    }

    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateServices(MeshConfig config, ErrorCollector errors)
    {
        // Sized up front: growing a set of every item copies it again and again, on every config applied.
        var seen = new HashSet<string>(config.Services.Count, StringComparer.Ordinal);
        foreach (var service in config.Services)
        {
            if (service is null)
            {
                errors.Add("services", "must not contain null");
                continue;
            }

            var duplicate = !seen.Add(service.Name);
            var remembered = ValidItems.TryGetValue(service, out _);
            if (!duplicate && remembered)
            {
                continue;
            }

            var at = errors.Nested($"services[{service.Name}]");
            if (duplicate)
            {
                at.Add("name", $"duplicate service '{service.Name}'");
            }

            if (!remembered)
            {
                var before = errors.Errors.Count;
                ServiceValidator.Validate(service, at);
                if (errors.Errors.Count == before)
                {
                    ValidItems.AddOrUpdate(service, "");
                }
            }
        }
    }

    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateRoutes(MeshConfig config, ErrorCollector errors)
    {
        var seen = new HashSet<string>(config.Routes.Count, StringComparer.Ordinal);
        var matches = new Dictionary<string, string>(config.Routes.Count, StringComparer.Ordinal);
        var services = config.ServicesByName();
        foreach (var route in config.Routes)
        {
            if (route is null)
            {
                errors.Add("routes", "must not contain null");
                continue;
            }

            // A remembered route whose backends all resolve has nothing left to check but its match key: no
            // error path to build (a one-route change then costs two lookups per unchanged route).
            var duplicate = !seen.Add(route.Id);
            var remembered = ValidItems.TryGetValue(route, out var validKey);
            if (!duplicate && remembered && BackendsResolve(route.Backends, services) && matches.TryAdd(validKey!, route.Id))
            {
                continue;
            }

            var at = errors.Nested($"routes[{route.Id}]");
            if (duplicate)
            {
                at.Add("id", $"duplicate route id '{route.Id}'");
            }

            string key;
            if (remembered)
            {
                BackendValidator.Validate(route.Backends, services, at);
                key = validKey!;
            }
            else
            {
                var before = errors.Errors.Count;
                RouteValidator.Validate(route, services, at);
                key = MatchKey(route);
                if (errors.Errors.Count == before)
                {
                    // Valid with these services, so valid alone; its match key is remembered with it.
                    ValidItems.AddOrUpdate(route, key);
                }
            }

            if (!matches.TryAdd(key, route.Id))
            {
                at.Add("match", $"route '{matches[key]}' has the same match and order {route.Order}");
            }
        }
    }

    private static bool BackendsResolve(IReadOnlyList<BackendRef> backends, IReadOnlyDictionary<string, ServiceConfig> services)
    {
        foreach (var backend in backends)
        {
            if (backend?.Service is not { } name || services.GetValueOrDefault(name) is not { } service || service.FindSubset(backend.Subset ?? "") is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What <see cref="Validate"/> checks of one new or changed route in a mesh that was valid, without a
    /// pass over the mesh: the route's own rules, its backends against the services (looked up by name), and
    /// that its match shadows no other route (<paramref name="routeByMatchKey"/>: <see cref="MatchKey"/> → route id,
    /// an index of the mesh before the change). The errors are keyed as <see cref="Validate"/> keys them.
    /// </summary>
    public static IReadOnlyList<ValidationError> ValidateRoute(
        RouteConfig route, IReadOnlyDictionary<string, ServiceConfig> services, IReadOnlyDictionary<string, string> routeByMatchKey)
    {
        var errors = new ErrorCollector();
        var at = errors.Nested($"routes[{route.Id}]");
        RouteValidator.Validate(route, services, at);
        if (routeByMatchKey.TryGetValue(MatchKey(route), out var other) && other != route.Id)
        {
            at.Add("match", $"route '{other}' has the same match and order {route.Order}");
        }

        return errors.Errors;
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

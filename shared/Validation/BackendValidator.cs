using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Validation;

/// <summary>Weighted backends: known service and subset, integer weights ≥ 0, at least one &gt; 0.</summary>
public static class BackendValidator
{
    public static void Validate(IReadOnlyList<BackendRef>? backends, MeshConfig mesh, ErrorCollector errors) =>
        Validate(backends, mesh.ServicesByName(), errors);

    /// <summary>Against services already indexed by name (<see cref="MeshConfig.ServicesByName"/>), for passes over many routes.</summary>
    public static void Validate(IReadOnlyList<BackendRef>? backends, IReadOnlyDictionary<string, ServiceConfig> services, ErrorCollector errors)
    {
        if (backends is null || backends.Count == 0)
        {
            errors.Add("backends", "at least one backend is required");
            return;
        }

        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < backends.Count; i++)
        {
            var backend = backends[i];
            var at = errors.Nested($"backends[{i}]");
            if (backend is null)
            {
                at.Add("", "must not be null");
                continue;
            }

            var service = services.GetValueOrDefault(backend.Service ?? "");
            if (service is null)
            {
                at.Add("service", $"unknown service '{backend.Service}'");
            }
            else if (service.FindSubset(backend.Subset ?? "") is null)
            {
                var known = string.Join(", ", service.Subsets.Select(s => s.Name));
                at.Add("subset", $"unknown subset '{backend.Subset}' of service '{backend.Service}' (known: {known})");
            }

            if (backend.Weight < 0)
            {
                at.Add("weight", $"must be ≥ 0, got {backend.Weight}");
            }

            if (!seen.Add((backend.Service ?? "", backend.Subset ?? "")))
            {
                at.Add("subset", $"'{backend.Service}/{backend.Subset}' is listed twice");
            }
        }

        if (backends.All(b => b is null || b.Weight <= 0))
        {
            errors.Add("backends", "at least one weight must be greater than 0");
        }
    }
}

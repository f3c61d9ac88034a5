using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Validation;

public static class ServiceValidator
{
    public static void Validate(ServiceConfig service, ErrorCollector errors)
    {
        NameRules.RequireDnsLabel(errors, "name", service.Name);
        TextRules.Require(errors, "owner", service.Owner);
        AccessValidator.Validate(service.Access, errors.Nested("access"));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < service.Subsets.Count; i++)
        {
            var subset = service.Subsets[i];
            var at = errors.Nested($"subsets[{i}]");
            if (subset is null)
            {
                at.Add("", "must not be null");
                continue;
            }

            NameRules.RequireDnsLabel(at, "name", subset.Name);
            if (subset.Name is not null && !seen.Add(subset.Name))
            {
                at.Add("name", $"duplicate subset '{subset.Name}'");
            }

            foreach (var (key, value) in subset.Labels)
            {
                TextRules.Require(at, $"labels[{key}]", key);
                TextRules.Require(at, $"labels[{key}]", value);
            }

            ValidateInstances(subset.Instances, at);
        }
    }

    private static void ValidateInstances(IReadOnlyList<InstanceConfig> instances, ErrorCollector errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var at = errors.Nested($"instances[{i}]");
            if (instance is null)
            {
                at.Add("", "must not be null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(instance.Id))
            {
                at.Add("id", "is required");
            }
            else if (TextRules.Problem(instance.Id) is { } problem)
            {
                at.Add("id", problem);
            }
            else if (!seen.Add(instance.Id))
            {
                at.Add("id", $"duplicate instance '{instance.Id}'");
            }

            if (!IsHttpAddress(instance.Address))
            {
                at.Add("address", $"'{instance.Address}' is not an absolute http:// or https:// URL");
            }

            TextRules.Require(at, "address", instance.Address);
            TextRules.Require(at, "node", instance.Node);
        }
    }

    public static bool IsHttpAddress(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

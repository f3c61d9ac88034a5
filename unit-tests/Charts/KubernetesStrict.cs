using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace MeshPortal.UnitTests.Charts;

/// <summary>
/// kubectl --validate=strict without a cluster: each object is read into the KubernetesClient model
/// of its apiVersion and kind with unknown members disallowed, so a misspelt or misplaced field, and
/// a value of the wrong JSON type, fail. Required fields, formats and enums are checked by
/// charts/validate, whose generated validators ignore unknown fields.
/// </summary>
public static class KubernetesStrict
{
    private static readonly JsonSerializerOptions Options = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // Only the monitoring records rely on it: every KubernetesClient property names its JSON field.
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private static readonly Dictionary<(string ApiVersion, string Kind), Type> Models = typeof(V1Pod).Assembly.GetTypes()
        .Select(type => (type, entity: type.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(x => x.entity is not null)
        .Select(x => (key: (x.entity!.Group.Length == 0 ? x.entity.ApiVersion : $"{x.entity.Group}/{x.entity.ApiVersion}", x.entity.Kind), x.type))
        .Append((("monitoring.coreos.com/v1", "ServiceMonitor"), typeof(ServiceMonitor)))
        .Append((("monitoring.coreos.com/v1", "PodMonitor"), typeof(PodMonitor)))
        .ToDictionary(x => x.Item1, x => x.Item2);

    public static IReadOnlyList<string> Errors(string manifests)
    {
        var errors = new List<string>();
        foreach (var node in ChartValues.ParseAll(manifests).OfType<JsonObject>())
        {
            var key = (node["apiVersion"]?.ToString() ?? "", node["kind"]?.ToString() ?? "");
            var where = $"{key.Item2}/{node["metadata"]?["name"]}";
            if (!Models.TryGetValue(key, out var model))
            {
                errors.Add($"{where}: no model for apiVersion {key.Item1} kind {key.Item2}");
                continue;
            }

            try
            {
                node.Deserialize(model, Options);
            }
            catch (JsonException e) when (e.Path is { } path && !e.Message.Contains(path, StringComparison.Ordinal))
            {
                // An unknown field's message names the type but not where it is.
                errors.Add($"{where}: {path}: {e.Message}");
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                errors.Add($"{where}: {e.Message}");
            }
        }

        return errors;
    }
}

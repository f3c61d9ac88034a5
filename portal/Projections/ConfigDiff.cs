using System.Text.Json;
using System.Text.Json.Nodes;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Portal.Projections;

public enum DiffKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One field that differs, e.g. <c>routes[catalog].backends[catalog/v1].weight: 50 → 70</c>.</summary>
public sealed record DiffEntry(string Path, DiffKind Kind, string? Before, string? After);

/// <summary>
/// Field-by-field differences between two configs. Lists of named things are keyed by name
/// (services, subsets, instances, routes, backends by service/subset), so a reorder is no change.
/// </summary>
public static class ConfigDiff
{
    public static IReadOnlyList<DiffEntry> Compute(MeshConfig from, MeshConfig to)
    {
        var before = Flatten(from);
        var after = Flatten(to);
        var entries = new List<DiffEntry>();
        foreach (var (path, value) in before)
        {
            if (!after.TryGetValue(path, out var other))
            {
                entries.Add(new DiffEntry(path, DiffKind.Removed, value, null));
            }
            else if (other != value)
            {
                entries.Add(new DiffEntry(path, DiffKind.Changed, value, other));
            }
        }

        entries.AddRange(after.Where(kv => !before.ContainsKey(kv.Key)).Select(kv => new DiffEntry(kv.Key, DiffKind.Added, null, kv.Value)));
        return [.. entries.OrderBy(e => e.Path, StringComparer.Ordinal)];
    }

    private static SortedDictionary<string, string> Flatten(MeshConfig config)
    {
        var node = JsonSerializer.SerializeToNode(config.Normalize(), MeshJson.Options)!;
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", result);
        return result;
    }

    private static void Walk(JsonNode? node, string path, SortedDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Walk(child, path.Length == 0 ? name : $"{path}.{name}", into);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{KeyOf(array[i]) ?? i.ToString()}]", into);
                }

                if (array.Count == 0)
                {
                    into[path] = "[]";
                }

                break;
            default:
                into[path] = node?.ToJsonString() ?? "null";
                break;
        }
    }

    private static string? KeyOf(JsonNode? item) => item switch
    {
        JsonObject o when o["service"] is { } service && o["subset"] is { } subset => $"{service}/{subset}",
        JsonObject o when o["name"] is JsonValue name && o["value"] is null => name.ToString(),
        JsonObject o when o["id"] is JsonValue id => id.ToString(),
        _ => null,
    };
}

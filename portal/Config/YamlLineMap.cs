using System.Globalization;

namespace MeshPortal.Portal.Config;

/// <summary>
/// The YAML line of every node read, keyed by (parent, key or index) rather than by full path, so
/// its size grows with the node count only, not with depth × key length.
/// </summary>
public sealed class YamlLineMap
{
    private readonly Dictionary<(int Parent, string? Key, int Index), (int Id, int Line)> _children = [];
    private int _nextId;

    public const int Root = 0;

    public int RootLine { get; set; }

    /// <summary>Records a child of <paramref name="parent"/> found at <paramref name="line"/>; returns its id.</summary>
    public int Add(int parent, string? key, int index, int line)
    {
        var id = ++_nextId;
        _children[(parent, key, index)] = (id, line);
        return id;
    }

    /// <summary>
    /// The line of the deepest node along a System.Text.Json path such as <c>$.routes[0].match</c>
    /// or <c>$['odd.key']</c>; null when not even the first step was read from YAML.
    /// </summary>
    public int? LineOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            return null;
        }

        int? line = RootLine;
        var id = Root;
        var i = 1;
        while (i < path.Length && NextStep(path, ref i) is { } step)
        {
            if (!_children.TryGetValue((id, step.Key, step.Index), out var child))
            {
                break;
            }

            (id, line) = child;
        }

        return line;
    }

    private static (string? Key, int Index)? NextStep(string path, ref int i)
    {
        if (path[i] == '.')
        {
            var end = path.IndexOfAny(['.', '['], i + 1);
            end = end < 0 ? path.Length : end;
            var key = path[(i + 1)..end];
            i = end;
            return (key, -1);
        }

        if (path.AsSpan(i).StartsWith("['"))
        {
            var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            var key = path[(i + 2)..end];
            i = end + 2;
            return (key, -1);
        }

        if (path[i] == '[')
        {
            var end = path.IndexOf(']', i + 1);
            if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return null;
            }

            i = end + 1;
            return (null, index);
        }

        return null;
    }
}

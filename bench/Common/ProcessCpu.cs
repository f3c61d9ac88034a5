namespace MeshPortal.Bench.Common;

/// <summary>CPU time of a process and its descendants, from /proc/&lt;pid&gt;/stat (utime + stime).</summary>
public static class ProcessCpu
{
    /// <summary>USER_HZ: the unit of the stat times; 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static double Seconds(int root)
    {
        var stats = ReadAll();
        var tree = Tree(stats, root);
        return stats.Where(s => tree.Contains(s.Pid)).Sum(s => s.Ticks) / TicksPerSecond;
    }

    /// <summary>The process and every process below it (nginx's workers, a shell's children).</summary>
    public static IReadOnlySet<int> Tree(int root) => Tree(ReadAll(), root);

    private static List<Stat> ReadAll() =>
    [
        .. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Read(pid) : null)
            .OfType<Stat>(),
    ];

    private static HashSet<int> Tree(List<Stat> stats, int root)
    {
        var tree = new HashSet<int> { root };

        // Parents may have higher pids than children after pid wrap-around: repeat until nothing is added.
        for (var added = true; added;)
        {
            added = false;
            foreach (var stat in stats.Where(s => !tree.Contains(s.Pid) && tree.Contains(s.Parent)))
            {
                added |= tree.Add(stat.Pid);
            }
        }

        return tree;
    }

    private static Stat? Read(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");

            // The command name may hold spaces and parentheses: the fields start after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return new Stat(pid, int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The process ended while we looked.
            return null;
        }
    }

    private sealed record Stat(int Pid, int Parent, long Ticks);
}

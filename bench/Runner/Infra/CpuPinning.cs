using System.Diagnostics;
using System.Globalization;
using MeshPortal.Bench.Common;

namespace MeshPortal.Bench.Runner.Infra;

/// <summary>
/// Puts the whole request path of the fixed-rate rounds (load generator, proxy, backend) on core 0 and
/// the control plane (portal) on the other cores, as a node's proxy serves its traffic apart from a
/// control plane that runs elsewhere. Every process and thread of each tree moves (taskset -a), and all
/// go back to every core when disposed.
/// </summary>
/// <remarks>
/// Why one core for the path: on this kind of virtual machine, handing a request to a process on the
/// other core stalls for 2–5 ms several times a second (an idle virtual CPU waking), for nginx and
/// haproxy as much as for YARP. Unpinned, or with the proxy on a core of its own, those stalls were the
/// p99 of every proxy (per-request timelines, 2026-12-03); on one core each target's tail is its own.
/// </remarks>
internal sealed class CpuPinning : IDisposable
{
    private readonly List<int> _pinned;
    private readonly string _all;

    private CpuPinning(List<int> pinned, string all, string description)
    {
        _pinned = pinned;
        _all = all;
        Description = description;
    }

    /// <summary>Where each side ran, for the report.</summary>
    public string Description { get; }

    /// <summary>Null when the machine has one core, or taskset failed: the rounds then run unpinned.</summary>
    public static CpuPinning? Apply(IEnumerable<int> requestPath, IEnumerable<int> elsewhere)
    {
        var cores = Environment.ProcessorCount;
        if (cores < 2)
        {
            return null;
        }

        var all = $"0-{cores - 1}";
        var rest = cores == 2 ? "1" : $"1-{cores - 1}";
        var path = requestPath.SelectMany(ProcessCpu.Tree).Distinct().ToList();
        var other = elsewhere.SelectMany(ProcessCpu.Tree).Distinct().Except(path).ToList();
        if (!path.All(pid => Set(pid, "0")) || !other.All(pid => Set(pid, rest)))
        {
            foreach (var pid in path.Concat(other))
            {
                Set(pid, all);
            }

            return null;
        }

        return new CpuPinning([.. path, .. other], all,
            $"the request path (load generator, proxy, backend) pinned to core 0 and the portal to core{(cores == 2 ? "" : "s")} {rest}");
    }

    public void Dispose()
    {
        foreach (var pid in _pinned)
        {
            Set(pid, _all);
        }
    }

    // A thread may end while taskset walks the process's threads: one more try.
    private static bool Set(int pid, string cores) => TrySet(pid, cores) || TrySet(pid, cores);

    private static bool TrySet(int pid, string cores)
    {
        try
        {
            var info = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-a", "-p", "-c", cores, pid.ToString(CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(arg);
            }

            using var taskset = Process.Start(info);
            if (taskset is null)
            {
                return false;
            }

            taskset.StandardOutput.ReadToEnd();
            taskset.StandardError.ReadToEnd();
            taskset.WaitForExit();
            return taskset.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

using System.Diagnostics;
using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.Stack;
using MeshPortal.Shared.Config;

namespace MeshPortal.Bench.Runner.Memory;

/// <summary>A gateway's resident size before and after a route load, and its peak on the way (MB).</summary>
internal sealed record GatewayMemoryResult(int Routes, int Revisions, double BeforeMb, double AfterMb, double PeakMb, double LoadSeconds);

/// <summary>
/// The load that left gateways at about 1 GB resident (issue 12): routes written one by one through
/// the API like an operator's bulk script, so the gateway applies a growing snapshot per revision.
/// Each route has two subsets of two instances on addresses nothing answers on; only the config counts.
/// </summary>
internal sealed class GatewayMemoryBench(MeshStack stack, int routes)
{
    public async Task<GatewayMemoryResult> RunAsync(CancellationToken ct)
    {
        var gateway = await stack.StartGatewayAsync("memory", ct);
        await stack.Api.WaitSyncedAsync(1, TimeSpan.FromSeconds(60));
        var before = ResidentMb(gateway.Id, "VmRSS");
        var first = await stack.Api.RevisionAsync();
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < routes; r++)
        {
            ct.ThrowIfCancellationRequested();
            var service = $"mem-{r / 2:D4}";
            if (r % 2 == 0)
            {
                await stack.Api.RegisterServiceAsync(Service(service, r / 2));
            }

            await stack.Api.PutRouteAsync(Route($"mem-{r:D4}", service, r % 2 == 0 ? "/api" : "/web"));
        }

        await stack.Api.WaitSyncedAsync(1, TimeSpan.FromSeconds(120));
        var loaded = clock.Elapsed;
        var revisions = (int)(await stack.Api.RevisionAsync() - first);

        // Read once the gateway has caught up and its GC has had a moment: what it keeps, not a transient peak.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        return new GatewayMemoryResult(routes, revisions, before, ResidentMb(gateway.Id, "VmRSS"), ResidentMb(gateway.Id, "VmHWM"), loaded.TotalSeconds);
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in kB (VmRSS now, VmHWM the peak), as MB.</summary>
    private static double ResidentMb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith($"{field}:", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    private static ServiceConfig Service(string name, int s) => new()
    {
        Name = name,
        Owner = "bench",
        Subsets = [.. new[] { "v1", "v2" }.Select((subset, k) => new SubsetConfig
        {
            Name = subset,
            Instances = [.. Enumerable.Range(0, 2).Select(i => new InstanceConfig
            {
                Id = $"{name}-{subset}-{i}",
                Address = $"http://10.{s / 250}.{s % 250}.{k * 100 + i + 1}:8080",
                Node = "memory",
            })],
        })],
    };

    private static RouteConfig Route(string id, string service, string prefix) => new()
    {
        Id = id,
        Match = new RouteMatch { Hosts = [$"{service}.mesh"], PathPrefix = prefix },
        Backends =
        [
            new BackendRef { Service = service, Subset = "v1", Weight = 90 },
            new BackendRef { Service = service, Subset = "v2", Weight = 10 },
        ],
        Policies = new RoutePolicies { TimeoutMs = 5000 },
    };
}

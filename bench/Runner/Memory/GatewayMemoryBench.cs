using System.Diagnostics;
using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.DataPlane;
using MeshPortal.Bench.Runner.Stack;
using MeshPortal.Shared.Config;

namespace MeshPortal.Bench.Runner.Memory;

/// <summary>
/// A gateway's resident size before and after a route load, and its peak on the way (MB); then its
/// resident size sampled under steady traffic after the load, to show whether it stays flat.
/// </summary>
internal sealed record GatewayMemoryResult(int Routes, int Revisions, double BeforeMb, double AfterMb, double PeakMb, double LoadSeconds)
{
    public IReadOnlyList<double> UnderLoadMb { get; init; } = [];
    public double UnderLoadSeconds { get; init; }

    /// <summary>Traffic before the first sample: the GC's time to size its heaps for the load.</summary>
    public double SettleSeconds { get; init; }
    public int UnderLoadRate { get; init; }
    public int UnderLoadErrors { get; init; }

    /// <summary>
    /// How far the resident size strays under load: the largest distance of a sample from the samples'
    /// median, in percent of it (flat ± 10 % is the target). Sampling starts after the settle: in the
    /// first minute of traffic after the route load, Server GC (with DATAS, .NET's default) resizes its
    /// heaps for the load and gives back what the load left behind (172 MB at 30 s, then 132 MB from 60 s
    /// to 300 s in the 2026-12-02 run): a fall that says nothing about growth under load.
    /// </summary>
    public double DriftPercent => UnderLoadMb.Count == 0 ? 0 : UnderLoadMb.Max(m => Math.Abs(m - Median)) / Median * 100;

    private double Median => Stats.Median(UnderLoadMb);
}

/// <summary>
/// The load that left gateways at about 1 GB resident (issue 12): routes written one by one through
/// the API like an operator's bulk script, so the gateway applies a growing snapshot per revision.
/// Each route has two subsets of two instances on addresses nothing answers on; only the config counts.
/// Then traffic at a fixed rate through one more route to a real backend, on the gateway's own node.
/// </summary>
internal sealed class GatewayMemoryBench(MeshStack stack, Settings settings, string backendUrl)
{
    private const string Node = "memory";
    private const string LoadHost = "memory-load";

    public async Task<GatewayMemoryResult> RunAsync(CancellationToken ct)
    {
        await RegisterLoadRouteAsync();
        var gateway = await stack.StartGatewayAsync(Node, ct);
        await stack.Api.WaitSyncedAsync(1, TimeSpan.FromSeconds(60));
        var before = ResidentMb(gateway.Id, "VmRSS");
        var first = await stack.Api.RevisionAsync();
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < settings.MemoryRoutes; r++)
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
        var result = new GatewayMemoryResult(settings.MemoryRoutes, revisions, before, ResidentMb(gateway.Id, "VmRSS"), ResidentMb(gateway.Id, "VmHWM"), loaded.TotalSeconds);
        return await UnderLoadAsync(result, gateway.Id, ct);
    }

    /// <summary>Samples the resident size at even intervals while a fixed-rate load runs through the gateway, after a settle.</summary>
    private async Task<GatewayMemoryResult> UnderLoadAsync(GatewayMemoryResult result, int pid, CancellationToken ct)
    {
        var duration = TimeSpan.FromSeconds(settings.MemoryLoadSeconds);
        var settle = TimeSpan.FromSeconds(settings.MemorySettleSeconds);
        var proxyUrl = stack.Gateways.Single(g => g.Node == Node).ProxyUrl;
        var load = FixedRate.RunAsync(proxyUrl, LoadHost, settings.FixedRate, settings.FixedRateConnections, settle + duration, ct);
        await Task.Delay(settle, ct);
        var samples = new List<double>();
        var every = duration / settings.MemorySamples;
        for (var i = 0; i < settings.MemorySamples; i++)
        {
            await Task.Delay(every, ct);
            samples.Add(ResidentMb(pid, "VmRSS"));
        }

        var traffic = await load;
        return result with
        {
            UnderLoadMb = samples,
            UnderLoadSeconds = duration.TotalSeconds,
            SettleSeconds = settle.TotalSeconds,
            UnderLoadRate = settings.FixedRate,
            UnderLoadErrors = traffic.Errors,
        };
    }

    private async Task RegisterLoadRouteAsync()
    {
        await stack.Api.RegisterServiceAsync(new ServiceConfig
        {
            Name = LoadHost,
            Owner = "bench",
            Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = "memory-load-1", Address = backendUrl, Node = Node }] }],
        });
        await stack.Api.PutRouteAsync(new RouteConfig
        {
            Id = LoadHost,
            Match = new RouteMatch { Hosts = [LoadHost] },
            Backends = [new BackendRef { Service = LoadHost, Subset = "v1", Weight = 100 }],
            Policies = new RoutePolicies { TimeoutMs = 10_000 },
        });
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
                Node = Node,
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

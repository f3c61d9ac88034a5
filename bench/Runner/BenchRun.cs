using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.DataPlane;
using MeshPortal.Bench.Runner.Freshness;
using MeshPortal.Bench.Runner.Infra;
using MeshPortal.Bench.Runner.Memory;
using MeshPortal.Bench.Runner.Report;
using MeshPortal.Bench.Runner.Stack;

namespace MeshPortal.Bench.Runner;

/// <summary>Every figure in one run, on one machine: the stack is started once and shared, peers included.</summary>
internal static class BenchRun
{
    public static async Task<BenchResults> RunAsync(Settings settings, CancellationToken ct)
    {
        await using var stack = new MeshStack(settings);
        Console.Error.WriteLine($"starting the portal, backends, gateways n1-n3 and the peers (logs: {settings.WorkDirectory})");
        await stack.StartPortalAsync(ct);
        var (backendUrl, backend) = await stack.StartBackendAsync("backend", ct);
        var (failingUrl, _) = await stack.StartBackendAsync("backend-freshness", ct);
        await BenchConfig.RegisterDataPlaneAsync(stack.Api, backendUrl);
        await BenchConfig.RegisterFreshnessAsync(stack.Api, failingUrl, settings.FreshnessTrials);
        var n1 = await stack.StartGatewayAsync("n1", ct);
        await stack.StartGatewayAsync("n2", ct);
        await stack.StartGatewayAsync("n3", ct);
        var (dataPlane, pinning) = await DataPlaneAsync(stack, settings, backendUrl, backend.Id, n1.Id, ct);
        var gatewayUrl = stack.Gateways[0].ProxyUrl;
        var freshness = await new FreshnessBench(stack.Api, gatewayUrl, failingUrl, settings.FreshnessTrials).RunAsync(ct);

        var real = await SubBench.RunAsync<ConvergenceResult>(settings, "converge-real", ControlPlaneDll(settings), Converge(stack, settings, 0), ct);

        // The simulated fleet is measured on its own.
        await stack.StopGatewaysAsync();
        var (simulated, large, snapshot) = await SimulatedAndSnapshotAsync(stack, settings, ct);
        var store = await SubBench.RunAsync<StoreResult>(settings, "store", settings.Dll("bench/Store", "MeshPortal.Bench.Store"),
            ["--pg", settings.PostgresServer, "--events", $"{settings.StoreEvents}", "--samples", $"{settings.StoreSamples}"], ct);

        // Last: the route load leaves the portal with far more routes than the figures above were measured on.
        var memory = await new GatewayMemoryBench(stack, settings, backendUrl).RunAsync(ct);
        return new BenchResults(dataPlane, freshness, real, simulated, snapshot, store, memory) { LargeFleet = large, FixedRatePinning = pinning };
    }

    /// <summary>
    /// The control-plane figures alone, on a portal without gateways: `bench/run --control-plane`. The mesh
    /// holds the full run's routes (data plane and freshness, on an address nothing calls), since every
    /// gateway composes, hashes and validates the whole mesh for each delta: a smaller mesh would flatter it.
    /// </summary>
    public static async Task<ControlPlaneFigures> ControlPlaneAsync(Settings settings, CancellationToken ct)
    {
        const string Unused = "http://127.0.0.1:9";
        await using var stack = new MeshStack(settings);
        await stack.StartPortalAsync(ct);
        await BenchConfig.RegisterDataPlaneAsync(stack.Api, Unused);
        await BenchConfig.RegisterFreshnessAsync(stack.Api, Unused, settings.FreshnessTrials);
        var (simulated, large, snapshot) = await SimulatedAndSnapshotAsync(stack, settings, ct);
        return new ControlPlaneFigures(simulated, large, snapshot);
    }

    /// <summary>The data-plane figures alone, against n1 and the peers: `bench/run --data-plane`.</summary>
    public static async Task<DataPlaneResults> DataPlaneOnlyAsync(Settings settings, CancellationToken ct)
    {
        await using var stack = new MeshStack(settings);
        await stack.StartPortalAsync(ct);
        var (backendUrl, backend) = await stack.StartBackendAsync("backend", ct);
        await BenchConfig.RegisterDataPlaneAsync(stack.Api, backendUrl);
        var n1 = await stack.StartGatewayAsync("n1", ct);
        return new DataPlaneResults((await DataPlaneAsync(stack, settings, backendUrl, backend.Id, n1.Id, ct)).Figures);
    }

    /// <summary>The freshness trials alone, through gateway n1: `bench/run --freshness`.</summary>
    public static async Task<IReadOnlyList<double>> FreshnessOnlyAsync(Settings settings, CancellationToken ct)
    {
        await using var stack = new MeshStack(settings);
        await stack.StartPortalAsync(ct);
        var (failingUrl, _) = await stack.StartBackendAsync("backend-freshness", ct);
        await BenchConfig.RegisterFreshnessAsync(stack.Api, failingUrl, settings.FreshnessTrials);
        await stack.StartGatewayAsync("n1", ct);
        await stack.Api.WaitSyncedAsync(stack.Gateways.Count, TimeSpan.FromSeconds(60));
        return await new FreshnessBench(stack.Api, stack.Gateways[0].ProxyUrl, failingUrl, settings.FreshnessTrials).RunAsync(ct);
    }

    /// <summary>Direct, the peers and gateway n1 (already started), side by side in the same rounds.</summary>
    private static async Task<(IReadOnlyList<DataPlaneFigure> Figures, string Pinning)> DataPlaneAsync(
        MeshStack stack, Settings settings, string backendUrl, int backendPid, int gatewayPid, CancellationToken ct)
    {
        await stack.Api.WaitSyncedAsync(stack.Gateways.Count, TimeSpan.FromSeconds(60));
        Target[] targets =
        [
            new(Targets.Direct, backendUrl, null),
            await Peers.StartNginxAsync(stack, settings, backendUrl, ct) with { Name = Targets.Nginx },
            await Peers.StartHaproxyAsync(stack, settings, backendUrl, ct) with { Name = Targets.Haproxy },
            await Peers.StartPlainYarpAsync(stack, settings, backendUrl, ct) with { Name = Targets.PlainYarp },
            new(Targets.Gateway, stack.Gateways[0].ProxyUrl, gatewayPid),
        ];
        var bench = new DataPlaneBench(settings, BenchConfig.DataHost, backendPid, stack.PortalPid);
        var figures = await bench.RunAsync(targets, ct);
        return (figures, bench.Pinning);
    }

    /// <summary>The gateway memory figures alone, on a portal with one backend: `bench/run --memory`.</summary>
    public static async Task<GatewayMemoryResult> MemoryAsync(Settings settings, CancellationToken ct)
    {
        await using var stack = new MeshStack(settings);
        await stack.StartPortalAsync(ct);
        var (backendUrl, _) = await stack.StartBackendAsync("backend", ct);
        return await new GatewayMemoryBench(stack, settings, backendUrl).RunAsync(ct);
    }

    /// <summary>
    /// The portal's own figures on a portal of its own, without gateways (`bench/run --portal`): route
    /// writes at two mesh sizes, then /api/topology with a full window of telemetry, then the hub's
    /// wire formats (in the bench process alone).
    /// </summary>
    public static async Task<PortalFigures> PortalAsync(Settings settings, CancellationToken ct)
    {
        await using var stack = new MeshStack(settings);
        await stack.StartPortalAsync(ct);
        var dll = ControlPlaneDll(settings);
        var writes = await SubBench.RunAsync<RouteWriteResult>(settings, "route-writes", dll,
        [
            "writes", "--portal", stack.PortalUrl, "--api-key", stack.ApiKey, "--small", $"{settings.WriteSmallRoutes}",
            "--large", $"{settings.WriteLargeRoutes}", "--writes", $"{settings.Writes}", "--portal-pid", $"{stack.PortalPid}",
        ], ct);
        var topology = await SubBench.RunAsync<TopologyResult>(settings, "topology", dll,
        [
            "topology", "--portal", stack.PortalUrl, "--api-key", stack.ApiKey, "--services", $"{settings.TopologyServices}",
            "--samples", $"{settings.TopologySamples}", "--portal-pid", $"{stack.PortalPid}",
        ], ct);
        var wire = await SubBench.RunAsync<WireFormatResult>(settings, "wire", dll,
            ["wire", "--routes", $"{settings.SnapshotRoutes}", "--instances", $"{settings.SnapshotInstances}", "--repeats", $"{settings.WireRepeats}"], ct);
        return new PortalFigures(writes, topology, wire);
    }

    private static async Task<(ConvergenceResult Simulated, ConvergenceResult Large, SnapshotResult Snapshot)> SimulatedAndSnapshotAsync(
        MeshStack stack, Settings settings, CancellationToken ct)
    {
        var dll = ControlPlaneDll(settings);
        var simulated = await SubBench.RunAsync<ConvergenceResult>(settings, "converge-simulated", dll, Converge(stack, settings, settings.SimulatedGateways), ct);
        var large = await SubBench.RunAsync<ConvergenceResult>(settings, "converge-large", dll, Converge(stack, settings, settings.LargeFleet), ct);
        var snapshot = await SubBench.RunAsync<SnapshotResult>(settings, "snapshot", dll,
            ["snapshot", "--routes", $"{settings.SnapshotRoutes}", "--instances", $"{settings.SnapshotInstances}", "--repeats", $"{settings.SnapshotRepeats}"], ct);
        return (simulated, large, snapshot);
    }

    private static string ControlPlaneDll(Settings settings) => settings.Dll("bench/ControlPlane", "MeshPortal.Bench.ControlPlane");

    private static string[] Converge(MeshStack stack, Settings settings, int simulated) =>
    [
        "converge", "--portal", stack.PortalUrl, "--api-key", stack.ApiKey, "--pg", stack.ConnectionString,
        "--changes", $"{settings.Changes}", "--simulated", $"{simulated}", "--portal-pid", $"{stack.PortalPid}",
        "--warmup-seconds", $"{settings.ConvergenceWarmupSeconds}",
    ];
}

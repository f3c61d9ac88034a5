using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.DataPlane;
using MeshPortal.Bench.Runner.Memory;

namespace MeshPortal.Bench.Runner.Report;

/// <summary>Every figure of one run.</summary>
internal sealed record BenchResults(
    IReadOnlyList<DataPlaneFigure> DataPlane,
    IReadOnlyList<double> FreshnessSeconds,
    ConvergenceResult RealGateways,
    ConvergenceResult SimulatedGateways,
    SnapshotResult Snapshot,
    StoreResult Store,
    GatewayMemoryResult Memory)
{
    public DataPlaneResults Data => new(DataPlane);

    public double GatewayPerNginx => Data.GatewayPerNginx;

    public double GatewayPerYarp => Data.GatewayPerYarp;

    public DataPlaneFigure Figure(string name) => Data.Figure(name);

    public double Ratio(string name, string peer) => Data.Ratio(name, peer);

    public IReadOnlyList<double> RoundRatios(string name, string peer) => Data.RoundRatios(name, peer);

    public double AddedMs(string name, Func<FixedRateResult, double> percentile) => Data.AddedMs(name, percentile);

    /// <summary>The cross-node mTLS hop beside the direct forward (<see cref="Hop.HopBench"/>), as `name: value unit` lines.</summary>
    public IReadOnlyList<string> HopLines { get; init; } = [];

    /// <summary>The portal's route writes, /api/topology at scale and the hub's wire formats (<see cref="PortalReport"/>).</summary>
    public PortalFigures? Portal { get; init; }

    /// <summary>Where the fixed-rate rounds ran (<see cref="Infra.CpuPinning"/>).</summary>
    public string FixedRatePinning { get; init; } = "";

    /// <summary>The simulated fleet of <see cref="Settings.LargeFleet"/> gateways.</summary>
    public ConvergenceResult LargeFleet { get; init; } = new();

    public double SimulatedP99Ms => Stats.Percentile(SimulatedGateways.TotalMs, 99);

    public double FreshnessP95Seconds => Stats.Percentile(FreshnessSeconds, 95);
}

/// <summary>What `bench/run --control-plane` measures.</summary>
internal sealed record ControlPlaneFigures(ConvergenceResult SimulatedGateways, ConvergenceResult LargeFleet, SnapshotResult Snapshot);

/// <summary>The names the data-plane targets go by in the table.</summary>
internal static class Targets
{
    public const string Direct = "direct";
    public const string Nginx = "nginx";
    public const string Haproxy = "haproxy";
    public const string PlainYarp = "plain YARP";
    public const string Gateway = "gateway";
}

namespace MeshPortal.Bench.Runner;

/// <summary>How long and how much: a full run, or a smoke run that only proves every path works.</summary>
internal sealed record Settings
{
    public required string Root { get; init; }
    public required string PostgresServer { get; init; }
    public required string WorkDirectory { get; init; }
    public bool Smoke { get; init; }

    /// <summary>`name: value unit` lines measured outside the runner (the topology at scale, in Chromium), for RESULTS.md.</summary>
    public string? ExtraFiguresFile { get; init; }

    public int Rounds => Smoke ? 1 : 5;
    /// <summary>Once per target before the rounds: .NET needs this long under load to reach its final code (tiered JIT, PGO).</summary>
    public int InitialWarmupSeconds => Smoke ? 1 : 15;

    public int WarmupSeconds => Smoke ? 0 : 2;
    public int MeasureSeconds => Smoke ? 1 : 6;
    public int Connections => 64;
    /// <summary>Added latency is measured at this fixed rate (Istio's benchmark uses 1,000 req/s), over keep-alive connections.</summary>
    public int FixedRate => 1000;
    public int FixedRateConnections => 16;
    /// <summary>
    /// Five, not three: on a two-core VM the added p99 of one 10 s round moves far from the next (the gateway's
    /// three rounds in one run of 2026-12-03: 0.21, 0.97 and 1.66 ms), and a median of three followed single rounds.
    /// </summary>
    public int FixedRateRounds => Smoke ? 1 : 5;
    public int FixedRateSeconds => Smoke ? 2 : 10;

    /// <summary>Routes written one by one (with a service per two routes) before the gateway's resident size is read.</summary>
    public int MemoryRoutes => Smoke ? 20 : 1000;

    /// <summary>Then traffic at <see cref="FixedRate"/> through the same gateway, its resident size read this many times.</summary>
    public int MemoryLoadSeconds => Smoke ? 4 : 300;

    /// <summary>Traffic before the first sample (see <c>GatewayMemoryResult.DriftPercent</c>).</summary>
    public int MemorySettleSeconds => Smoke ? 1 : 60;
    public int MemorySamples => Smoke ? 2 : 10;

    /// <summary>Only the gateway memory figures (route load, then steady traffic): `bench/run --memory`.</summary>
    public bool MemoryOnly { get; init; }
    public int FreshnessTrials => Smoke ? 2 : 20;
    public int Changes => Smoke ? 5 : 100;

    /// <summary>Unmeasured changes before each convergence figure, as <see cref="InitialWarmupSeconds"/> is for the data plane.</summary>
    public int ConvergenceWarmupSeconds => Smoke ? 0 : 10;
    public int SimulatedGateways => Smoke ? 10 : 200;
    public int LargeFleet => Smoke ? 20 : 1000;

    /// <summary>Only the control-plane figures (convergence of the simulated fleets, snapshot and delta): no data plane, store or memory.</summary>
    public bool ControlPlaneOnly { get; init; }

    /// <summary>Only the data-plane figures (direct, nginx, haproxy, plain YARP and one gateway): `bench/run --data-plane`.</summary>
    public bool DataPlaneOnly { get; init; }

    /// <summary>Only the telemetry freshness trials, through gateway n1 (`bench/run --freshness`): writes nothing.</summary>
    public bool FreshnessOnly { get; init; }

    /// <summary>Only the cross-node hop beside the direct forward (`bench/run --hop`): writes nothing.</summary>
    public bool HopOnly { get; init; }
    /// <summary>Only the portal's own figures (route writes at two sizes, /api/topology at scale, the hub's wire format): `bench/run --portal`.</summary>
    public bool PortalOnly { get; init; }

    /// <summary>Route writes through the API, timed on a mesh of this many routes and then of <see cref="WriteLargeRoutes"/>.</summary>
    public int WriteSmallRoutes => 10;
    public int WriteLargeRoutes => Smoke ? 100 : 1000;
    public int Writes => Smoke ? 5 : 50;

    /// <summary>/api/topology with this many services, each calling three others.</summary>
    public int TopologyServices => Smoke ? 100 : 1000;
    public int TopologySamples => Smoke ? 3 : 21;
    public int WireRepeats => Smoke ? 2 : 10;
    public int SnapshotRoutes => Smoke ? 100 : 1000;
    public int SnapshotInstances => Smoke ? 500 : 5000;
    public int SnapshotRepeats => Smoke ? 1 : 5;
    public int StoreEvents => Smoke ? 2000 : 100_000;
    public int StoreSamples => Smoke ? 20 : 200;

    public string Dll(string project, string assembly) =>
        Path.Combine(Root, project, "bin", "Release", "net10.0", $"{assembly}.dll");
}

namespace MeshPortal.Bench.Common;

/// <summary>Commit → last ACK over a series of changes, as the control-plane program reports it.</summary>
public sealed record ConvergenceResult
{
    public int Gateways { get; init; }
    public int Changes { get; init; }
    public int Routes { get; init; }

    /// <summary>Commit (NOTIFY delivered) → the portal has the last gateway's ACK, per change.</summary>
    public IReadOnlyList<double> TotalMs { get; init; } = [];

    /// <summary>Commit → the snapshot reaches a fleet connection: tailing, folding, hashing, pushing.</summary>
    public IReadOnlyList<double> CommitToPushMs { get; init; } = [];

    /// <summary>The portal's own figure: head revision seen → last ACK.</summary>
    public IReadOnlyList<double> PortalMs { get; init; } = [];

    /// <summary>Simulated gateways only: commit → the last of them sent its ACK (a cross-check of the total).</summary>
    public IReadOnlyList<double> LastAckSentMs { get; init; } = [];

    /// <summary>The portal's CPU per change (tailing, folding, hashing, pushing, taking the ACKs), in ms.</summary>
    public double PortalCpuMsPerChange { get; init; }

    /// <summary>
    /// This process's CPU per change, in ms: the simulated gateways receiving, checking and ACKing, plus
    /// the harness's own polling of the portal (a small share). Real gateways spend theirs on their own
    /// nodes; here it competes with the portal for the same cores.
    /// </summary>
    public double SimulatorCpuMsPerChange { get; init; }
}

public sealed record SnapshotResult
{
    public int Routes { get; init; }
    public int Instances { get; init; }
    public long JsonBytes { get; init; }

    /// <summary>Portal side: normalise and hash the config into a snapshot.</summary>
    public double BuildMs { get; init; }

    /// <summary>Gateway side: check (validation + hash), translate, YARP validation, swap (the last-known-good file is written in the background).</summary>
    public double ApplyMs { get; init; }

    /// <summary>From the start of the apply until a route that only the new revision has answers.</summary>
    public double ServingMs { get; init; }

    /// <summary>The JSON of the delta of a one-route change, as pushed to every gateway.</summary>
    public long DeltaJsonBytes { get; init; }

    /// <summary>Portal side, once per revision for the whole fleet: index the new snapshot and diff it.</summary>
    public double DeltaComputeMs { get; init; }

    /// <summary>Gateway side: deserialise, compose, hash the whole result, validate, translate, YARP validation, swap.</summary>
    public double DeltaApplyMs { get; init; }

    /// <summary>From the delta's arrival until a route that only the new revision has answers.</summary>
    public double DeltaServingMs { get; init; }
}

public sealed record StoreResult
{
    public int Events { get; init; }
    public double AppendP50Ms { get; init; }
    public double AppendP99Ms { get; init; }
    /// <summary>Median of three full replays without snapshots.</summary>
    public double RebuildSeconds { get; init; }

    /// <summary>The first of them, with a cold JIT, as in a freshly started portal.</summary>
    public double RebuildFirstSeconds { get; init; }

    /// <summary>A portal's catch-up when snapshots exist: the newest snapshot plus the events after it.</summary>
    public double StartupSeconds { get; init; }
    public double StateAtP50Ms { get; init; }
    public double StateAtP99Ms { get; init; }
    public double HistoryPageP50Ms { get; init; }
    public double HistoryPageP99Ms { get; init; }

    /// <summary>The slowest first read of a kind of history query in a fresh process.</summary>
    public double HistoryPageColdMs { get; init; }
}

/// <summary>One route replaced through the REST API, on a small mesh and on a large one.</summary>
public sealed record RouteWriteResult
{
    public int SmallRoutes { get; init; }
    public int LargeRoutes { get; init; }

    /// <summary>Request → answer at the client, per write.</summary>
    public IReadOnlyList<double> SmallMs { get; init; } = [];
    public IReadOnlyList<double> LargeMs { get; init; } = [];

    /// <summary>The portal's CPU per write (/proc; 10 ms ticks, so meaningful over many writes).</summary>
    public double SmallPortalCpuMs { get; init; }
    public double LargePortalCpuMs { get; init; }
}

/// <summary>GET /api/topology with a full window of live telemetry, without and with Brotli.</summary>
public sealed record TopologyResult
{
    public int Services { get; init; }
    public int Edges { get; init; }
    public IReadOnlyList<double> Ms { get; init; } = [];
    public long Bytes { get; init; }
    public double PortalCpuMs { get; init; }
    public IReadOnlyList<double> BrotliMs { get; init; } = [];
    public long BrotliBytes { get; init; }
    public double BrotliPortalCpuMs { get; init; }
}

/// <summary>One fleet message as a SignalR frame in one hub protocol.</summary>
public sealed record WireFigure
{
    public long Bytes { get; init; }

    /// <summary>Median wall time of writing the frame and parsing it back.</summary>
    public double Ms { get; init; }

    /// <summary>The process's CPU per round trip, GC included.</summary>
    public double CpuMs { get; init; }

    /// <summary>Whether what was parsed back hashes as what was written (a delta: composes to the same hash).</summary>
    public bool RoundTrips { get; init; }
    public string? Failure { get; init; }
}

/// <summary>The full snapshot and a one-route delta, JSON (the hub's options) beside MessagePack.</summary>
public sealed record WireFormatResult
{
    public int Routes { get; init; }
    public int Instances { get; init; }
    public WireFigure SnapshotJson { get; init; } = new();
    public WireFigure SnapshotMessagePack { get; init; } = new();
    public WireFigure DeltaJson { get; init; } = new();
    public WireFigure DeltaMessagePack { get; init; } = new();
}

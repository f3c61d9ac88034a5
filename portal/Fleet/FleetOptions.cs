using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Portal.Fleet;

/// <summary>Limits of the fleet channel (section <c>Fleet</c>): what one gateway token can make the portal hold.</summary>
public sealed class FleetOptions
{
    public const string Section = "Fleet";

    /// <summary>Names this replica on the Gateways page and in the fleet state replicas share; in Kubernetes the pod name.</summary>
    [Required, MaxLength(200)]
    public string ReplicaName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How long the row of a closed connection stays on the Gateways page (as DISCONNECTED).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DisconnectedRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows one node may have at once, live or recently closed; a Hello beyond it is refused.</summary>
    [Range(1, 1000)]
    public int MaxGatewaysPerNode { get; set; } = 16;

    /// <summary>How often live connections' tokens are re-checked in the database (revocations on other replicas).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05")]
    public TimeSpan TokenRecheckInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Largest hub message. A real gateway's biggest batch (5,000 keys of 63-character sources, every
    /// character escaped in JSON) measures 3.3 MB, and anyone who can reach a gateway's proxy can make
    /// it send one, so a lower limit would let them cut its fleet connection. Typical batches are a
    /// few KB; memory is bounded by the telemetry rate and record limits below, not by this.
    /// </summary>
    [Range(64 * 1024, 16 * 1024 * 1024)]
    public long MaxMessageBytes { get; set; } = 3_500_000;

    /// <summary>Sustained batches per second per connection: a gateway sends one a second.</summary>
    [Range(1, 1000)]
    public double TelemetryBatchesPerSecond { get; set; } = 5;

    /// <summary>Batches one connection may send at once: a gateway back from an outage flushes its minute of buffer.</summary>
    [Range(1, 1000)]
    public int TelemetryBatchBurst { get; set; } = 60;

    /// <summary>Sustained telemetry records per second per connection: twice a gateway's 5,000-key window.</summary>
    [Range(1, 1_000_000)]
    public double TelemetryRecordsPerSecond { get; set; } = 10_000;

    /// <summary>Records one connection may send at once.</summary>
    [Range(1, 1_000_000)]
    public int TelemetryRecordBurst { get; set; } = 20_000;

    /// <summary>Batches dated further ahead of the portal's clock are refused (clock skew allowance).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan TelemetryMaxFuture { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Batches older than this are refused; a gateway buffers one minute while the portal is away.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:15:00")]
    public TimeSpan TelemetryMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Enrollments one client address may make per minute (join tokens are checked in the database,
    /// and a leaked one must not mint tokens in a loop). Nodes behind one NAT or ingress share it.
    /// </summary>
    [Range(1, 100_000)]
    public int EnrollmentsPerMinute { get; set; } = 60;

    /// <summary>Enrollments one client address may make at once: a node group scaling up together.</summary>
    [Range(1, 100_000)]
    public int EnrollmentBurst { get; set; } = 100;

    /// <summary>Records the portal keeps in total (about 0.5 KB each); the oldest go first.</summary>
    [Range(1000, 10_000_000)]
    public int TelemetryMaxRecords { get; set; } = 100_000;
}

using System.Text.Json.Serialization;

namespace MeshPortal.Portal.Fleet;

public enum GatewaySyncState
{
    [JsonStringEnumMemberName("SYNCED")]
    Synced,
    [JsonStringEnumMemberName("APPLYING")]
    Applying,
    [JsonStringEnumMemberName("STALE")]
    Stale,
    [JsonStringEnumMemberName("NACKED")]
    Nacked,
    [JsonStringEnumMemberName("DISCONNECTED")]
    Disconnected,
}

/// <summary>What the portal knows of one gateway, as the API and the Gateways page show it.</summary>
public sealed record GatewayStatus
{
    public required string Node { get; init; }
    public required string GatewayId { get; init; }
    public string Version { get; init; } = "";
    public GatewaySyncState State { get; init; }
    public long AppliedRevision { get; init; }
    public string? AppliedHash { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    public string? LastError { get; init; }
    public long? LastNackRevision { get; init; }

    /// <summary>From the portal learning of the revision to this gateway's ACK of it.</summary>
    public double? ConvergenceMs { get; init; }

    /// <summary>When the certificate last issued to this gateway's connection expires; null before it has one.</summary>
    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>Where the gateway takes mTLS hops from its peers; null when it takes none.</summary>
    public string? InboundUrl { get; init; }

    /// <summary>The portal replica that holds this gateway's connection.</summary>
    public string Replica { get; init; } = "";
}

/// <summary>
/// How long one revision took to reach every connected gateway (from when this portal saw it become the
/// head), and when the last gateway's ACK arrived: from outside, the time from a commit to convergence.
/// </summary>
public sealed record RevisionConvergence(long Revision, double Milliseconds, int Gateways, DateTimeOffset ConvergedAt);

namespace MeshPortal.Shared.Fleet;

/// <summary>
/// Names of the SignalR fleet protocol. Gateway → portal: Hello, Ack, Nack, Telemetry, RequestSnapshot.
/// Portal → gateway: ApplyTransport (mode and peers), ApplyConfig (state of the world, like xDS SotW) after Hello or on request, then
/// ApplyDelta (only what changed, like xDS delta) for each new revision while the delta is the smaller message.
/// Gateway → portal, answered: RequestCertificate (a CSR in, the node's certificate and the trust bundle out).
/// </summary>
public static class FleetProtocol
{
    public const string HubPath = "/hubs/fleet";

    /// <summary>Where a gateway with a join token gets its node's own token (HTTP POST, outside the hub).</summary>
    public const string EnrollPath = "/api/fleet/enroll";

    public const string Hello = nameof(Hello);
    public const string Ack = nameof(Ack);
    public const string Nack = nameof(Nack);
    public const string Telemetry = nameof(Telemetry);

    /// <summary>A gateway whose delta does not fit (a revision gap, a hash mismatch) asks for the whole snapshot.</summary>
    public const string RequestSnapshot = nameof(RequestSnapshot);

    public const string ApplyConfig = nameof(ApplyConfig);
    public const string ApplyDelta = nameof(ApplyDelta);

    /// <summary>
    /// Portal → gateway, after Hello and whenever it changes: the mesh's transport mode and each node's
    /// inbound URL (<see cref="TransportSettings"/>), so a gateway knows where to send a hop.
    /// </summary>
    public const string ApplyTransport = nameof(ApplyTransport);

    /// <summary>Invoked with a PEM certificate signing request; returns an <see cref="IssuedCertificate"/>.</summary>
    public const string RequestCertificate = nameof(RequestCertificate);
}

/// <summary>Sent by a gateway on every (re)connect: who it is and what it runs.</summary>
public sealed record GatewayHello
{
    public required string Node { get; init; }
    public required string GatewayId { get; init; }
    public string Version { get; init; } = "";
    public long AppliedRevision { get; init; }
    public string? AppliedHash { get; init; }

    /// <summary>Where this gateway takes mTLS hops from its peers (<see cref="TransportLimits.IsInboundUrl"/>); null when it takes none.</summary>
    public string? InboundUrl { get; init; }
}

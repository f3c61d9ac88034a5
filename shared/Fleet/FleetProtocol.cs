namespace MeshPortal.Shared.Fleet;

/// <summary>
/// Names of the SignalR fleet protocol. Gateway → portal: Hello, Ack, Nack, Telemetry.
/// Portal → gateway: ApplyConfig (state of the world, like xDS SotW). Gateway → portal, answered:
/// RequestCertificate (a CSR in, the node's certificate and the trust bundle out).
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

    public const string ApplyConfig = nameof(ApplyConfig);

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
}

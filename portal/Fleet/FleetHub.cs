using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// The gateways' line to the control plane: Hello, Ack, Nack, Telemetry, RequestSnapshot and RequestCertificate in; ApplyTransport, ApplyConfig and ApplyDelta out.
/// Every message is bound to the node of the connection's token; nothing but Hello is taken before
/// Hello, and nothing at all once the token is revoked. Ack, Nack and Telemetry answer whether
/// they were taken (gateways send them without waiting, so refusals are logged, once per reason).
/// </summary>
[Authorize(Policy = Policies.Fleet)]
public sealed partial class FleetHub(
    GatewayRegistry registry, FleetConnections connections, MeshStateCache cache, Telemetry.TelemetryStore telemetry,
    TelemetryRelay relay, TransportBroadcaster transport, Security.Ca.CertificateDesk certificates, TimeProvider time, IOptions<FleetOptions> options, ILogger<FleetHub> logger) : Hub
{
    public const string GatewaysGroup = "gateways";

    /// <summary>Whole snapshots asked for by one connection go out at least this far apart.</summary>
    public static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(1);

    public override async Task OnConnectedAsync()
    {
        var tokenId = Context.User?.FindFirst(GatewayTokenAuthenticationHandler.TokenIdClaim)?.Value;
        var node = Context.User?.FindFirst(GatewayTokenAuthenticationHandler.NodeClaim)?.Value;
        if (tokenId is null || node is null)
        {
            Context.Abort();
            return;
        }

        connections.Add(new FleetConnection(Context.ConnectionId, tokenId, node, Context.Abort, new TelemetryGate(time, options.Value)));
        await base.OnConnectedAsync();
    }

    public async Task Hello(GatewayHello hello)
    {
        var connection = Live();
        if (!NameRules.IsNodeName(hello.Node))
        {
            Context.Abort();
            throw new HubException($"node '{hello.Node}' is not {NameRules.NodeNameRule}");
        }

        if (hello.InboundUrl is not null && !TransportLimits.IsInboundUrl(hello.InboundUrl))
        {
            Context.Abort();
            throw new HubException($"inbound URL is not {TransportLimits.InboundUrlRule}");
        }

        if (hello.Node != connection.Node)
        {
            LogNodeMismatch(hello.Node, connection.Node);
            Context.Abort();
            throw new HubException($"this token is for node '{connection.Node}', not '{hello.Node}'");
        }

        var first = registry.NodeOf(Context.ConnectionId) is null;
        if (!registry.Hello(Context.ConnectionId, connection.Node, hello))
        {
            LogTooManyGateways(connection.Node, options.Value.MaxGatewaysPerNode);
            Context.Abort();
            throw new HubException($"node '{connection.Node}' already has {options.Value.MaxGatewaysPerNode} gateways");
        }

        // A repeated Hello only updates the row: it neither floods the log nor gets the snapshot again.
        if (!first)
        {
            return;
        }

        // Only after Hello: a connection that never says who it is gets no config.
        await Groups.AddToGroupAsync(Context.ConnectionId, GatewaysGroup);
        LogHello(connection.Node, hello.GatewayId, hello.AppliedRevision);

        // Before the config, so the gateway translates its first snapshot knowing where its peers listen.
        await Clients.Caller.SendAsync(FleetProtocol.ApplyTransport, transport.Current());
        var snapshot = cache.Snapshot;
        if (hello.AppliedRevision != snapshot.Revision || hello.AppliedHash != snapshot.Hash)
        {
            await Clients.Caller.SendAsync(FleetProtocol.ApplyConfig, snapshot);
        }
    }

    /// <summary>The whole head snapshot, for a gateway that could not apply a delta (a gap, or a hash mismatch).</summary>
    public async Task<bool> RequestSnapshot()
    {
        if (!Said(out var connection))
        {
            return false;
        }

        LogSnapshotRequested(connection.Node);
        var wait = connection.ReserveSnapshot(time, SnapshotInterval);
        if (wait > TimeSpan.Zero)
        {
            // SignalR runs one invocation per connection at a time: only this gateway's own messages wait.
            await Task.Delay(wait, time, Context.ConnectionAborted);
        }

        // The head as it is when the turn comes, not when it was asked for.
        await Clients.Caller.SendAsync(FleetProtocol.ApplyConfig, cache.Snapshot);
        return true;
    }

    public bool Ack(long revision, string? hash) =>
        Said(out var connection) && (registry.Acked(Context.ConnectionId, revision, hash) || Refuse(connection, FleetRefusal.UnknownRevision));

    public bool Nack(long revision, string? error)
    {
        if (!Said(out var connection))
        {
            return false;
        }

        if (!registry.Nacked(Context.ConnectionId, revision, error))
        {
            return Refuse(connection, FleetRefusal.UnknownRevision);
        }

        LogNack(connection.Node, revision, error ?? "");
        return true;
    }

    public bool Telemetry(TelemetryBatch batch)
    {
        if (!Said(out var connection))
        {
            return false;
        }

        if (batch.Node != connection.Node)
        {
            return Refuse(connection, FleetRefusal.OtherNode);
        }

        if (TelemetryLimits.Problem(batch) is { } problem)
        {
            return Refuse(connection, FleetRefusal.MalformedTelemetry, problem);
        }

        if (!connection.Telemetry.TryPass(batch.Records.Count))
        {
            return Refuse(connection, FleetRefusal.TelemetryRateExceeded);
        }

        registry.Seen(Context.ConnectionId);
        if (!telemetry.Add(batch))
        {
            return Refuse(connection, FleetRefusal.TelemetryOutOfWindow, $"dated {batch.UnixSecond}");
        }

        relay.Relay(batch);
        return true;
    }

    /// <summary>A certificate for the connection's node, after Hello; a refusal reaches the gateway as a HubException.</summary>
    public async Task<IssuedCertificate> RequestCertificate(string csrPem)
    {
        if (!Said(out var connection))
        {
            throw new HubException("say Hello before asking for a certificate");
        }

        try
        {
            return await certificates.IssueAsync(connection, csrPem, Context.ConnectionAborted);
        }
        catch (InvalidOperationException e)
        {
            throw new HubException(e.Message);
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        registry.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The connection, refusing everything once its token is revoked.</summary>
    private FleetConnection Live()
    {
        if (connections.Find(Context.ConnectionId) is { IsRevoked: false } connection)
        {
            return connection;
        }

        Context.Abort();
        throw new HubException("the gateway token was revoked");
    }

    /// <summary>Whether the connection may send this: its token stands and it has said Hello.</summary>
    private bool Said(out FleetConnection connection)
    {
        connection = Live();
        return registry.NodeOf(Context.ConnectionId) is not null || Refuse(connection, FleetRefusal.BeforeHello);
    }

    private bool Refuse(FleetConnection connection, FleetRefusal reason, string detail = "")
    {
        if (connection.FirstWarning(reason))
        {
            LogRefused(connection.Node, Context.ConnectionId, reason, detail);
        }

        return false;
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Gateway {GatewayId} on {Node} connected at revision {Revision}")]
    private partial void LogHello(string node, string gatewayId, long revision);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Gateway claimed node '{Claimed}' but its token is for '{Node}'; disconnected")]
    private partial void LogNodeMismatch(string claimed, string node);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "gateway:{Node} rejected revision {Revision}: {Error}")]
    private partial void LogNack(string node, long revision, string error);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Debug, Message = "gateway:{Node} asked for the whole snapshot")]
    private partial void LogSnapshotRequested(string node);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Node '{Node}' already has {Max} gateways; connection refused")]
    private partial void LogTooManyGateways(string node, int max);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning,
        Message = "Refused a message from gateway:{Node} on connection {ConnectionId}: {Reason} {Detail} (logged once per connection and reason)")]
    private partial void LogRefused(string node, string connectionId, FleetRefusal reason, string detail);
}

namespace MeshPortal.Gateway;

/// <summary>Every log message of the gateway; event ids are stable so alerts and searches can rely on them.</summary>
internal static partial class Log
{
    // 2000-2099: applying config.
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Applied revision {Revision} ({Hash}): {Routes} routes, {Services} services")]
    public static partial void SnapshotApplied(ILogger logger, long revision, string hash, int routes, int services);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Rejected revision {Revision}, still serving the last good config: {Problem}")]
    public static partial void SnapshotRejected(ILogger logger, long revision, string problem);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Serving last-known-good revision {Revision} from {Path}")]
    public static partial void LastKnownGoodLoaded(ILogger logger, long revision, string path);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "No last-known-good config at {Path}: proxying waits for the portal")]
    public static partial void NoLastKnownGood(ILogger logger, string path);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Ignoring the last-known-good config at {Path}: {Error}")]
    public static partial void LastKnownGoodUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Could not save the last-known-good config to {Path}: {Error}")]
    public static partial void LastKnownGoodWriteFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "A burst of {Applies} config applies ended; the configs it replaced are collected in the background")]
    public static partial void ReplacedConfigsCollected(ILogger logger, int applies);

    // 2100-2199: the fleet connection to the portal.
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Gateway {GatewayId} of node {Node}: proxy on {ProxyUrl}, admin on {AdminUrl}, portal hub {HubUrl}")]
    public static partial void GatewayStarting(ILogger logger, string gatewayId, string node, string proxyUrl, string adminUrl, string hubUrl);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Portal hub {HubUrl} not reached (attempt {Attempt}): {Error}; retrying in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, string hubUrl, int attempt, string error, long delayMs);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Connected to the portal hub {HubUrl}")]
    public static partial void Connected(ILogger logger, string hubUrl);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Lost the portal connection ({Error}); reconnecting, serving the applied config meanwhile")]
    public static partial void Reconnecting(ILogger logger, string error);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Reconnected to the portal")]
    public static partial void Reconnected(ILogger logger);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "The portal connection closed ({Error})")]
    public static partial void ConnectionClosed(ILogger logger, string error);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "Hello sent at applied revision {Revision}")]
    public static partial void HelloSent(ILogger logger, long revision);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Hello to the portal failed: {Error}")]
    public static partial void HelloFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "Could not answer revision {Revision} to the portal: {Error}")]
    public static partial void AnswerFailed(ILogger logger, long revision, string error);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Debug, Message = "Received revision {Revision} from the portal")]
    public static partial void SnapshotReceived(ILogger logger, long revision);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information,
        Message = "Enrolled node {Node} with the join token: gateway token {TokenId} kept in {Path} ({Replaced} older token(s) of the node revoked)")]
    public static partial void Enrolled(ILogger logger, string node, string tokenId, string path, int replaced);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Debug, Message = "Received the delta from revision {BaseRevision} to {Revision} from the portal")]
    public static partial void DeltaReceived(ILogger logger, long revision, long baseRevision);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning,
        Message = "The delta from revision {BaseRevision} to {Revision} does not fit the served revision {Served} ({Fit}): asking for the whole snapshot")]
    public static partial void DeltaUnfit(ILogger logger, long revision, long baseRevision, long served, State.DeltaFit fit);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Warning, Message = "Could not ask the portal for the whole snapshot: {Error}")]
    public static partial void SnapshotRequestFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2114, Level = LogLevel.Error, Message = "Applying revision {Revision} failed; waiting for the next push")]
    public static partial void ApplyFailed(ILogger logger, long revision, Exception exception);

    // 2200-2299: telemetry.
    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Telemetry not sent: {Error}")]
    public static partial void TelemetrySendFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Dropped {Records} telemetry records: the portal is away and the buffer is full")]
    public static partial void TelemetryDropped(ILogger logger, long records);

    // 2300-2399: route policies on the data plane.
    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "Ejected instance {Destination} of route {Route} for {EjectSeconds} s after {Failures} consecutive failures")]
    public static partial void InstanceEjected(ILogger logger, string destination, string route, int failures, double ejectSeconds);

    // 2500-2599: hops between nodes.
    [LoggerMessage(EventId = 2500, Level = LogLevel.Information,
        Message = "Transport from the portal: mode {Mode}, {Peers} nodes taking mTLS hops; revision {Revision} translated again")]
    public static partial void Retranslated(ILogger logger, long revision, string mode, int peers);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Error, Message = "Revision {Revision} translated for the new transport was refused by the proxy; the old translation keeps serving: {Problem}")]
    public static partial void RetranslationRefused(ILogger logger, long revision, string problem);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Refused the transport the portal sent: {Problem}")]
    public static partial void TransportRefused(ILogger logger, string problem);
}

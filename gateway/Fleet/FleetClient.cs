using System.Reflection;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.Identity;
using MeshPortal.Gateway.State;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// The gateway's line to the portal: keeps the hub connection up forever, says Hello after every
/// (re)connect, and answers pushed configs with Ack or Nack. Pushes queue in an inbox; one loop applies
/// the newest of what queued up (a gateway that fell behind skips the revisions in between). Once Hello
/// is taken, the <see cref="CertificateRenewer"/> asks for the node's certificate.
/// </summary>
internal sealed class FleetClient : BackgroundService
{
    private static readonly string Version =
        typeof(FleetClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";

    private readonly GatewayOptions _options;
    private readonly ConfigApplier _applier;
    private readonly AppliedConfig _applied;
    private readonly GatewayMetrics _metrics;
    private readonly FleetRetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly ILogger<FleetClient> _logger;
    private readonly HubConnection _connection;
    private readonly PortalRotation _portals;
    private readonly ConfigInbox _inbox = new();
    private readonly CertificateRenewer _renewer;
    private readonly TransportUpdates _transport;
    private TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    public FleetClient(
        IOptions<GatewayOptions> options, ConfigApplier applier, AppliedConfig applied, GatewayMetrics metrics,
        Backoff backoff, TimeProvider time, GatewayCredential credential, PortalTrust trust, CertificateRenewer renewer, TransportUpdates transport,
        ILoggerFactory loggerFactory, ILogger<FleetClient> logger)
    {
        _options = options.Value;
        _applier = applier;
        _applied = applied;
        _metrics = metrics;
        _retry = new FleetRetryPolicy(backoff, time);
        _time = time;
        _logger = logger;
        _renewer = renewer;
        _transport = transport;
        _portals = new PortalRotation(_options.FleetHubUris);
        // An enrollment that fails (portal away, join token refused) fails this connect attempt, so it is retried with the same backoff.
        _connection = FleetConnection.Build(_options, _portals, _retry, loggerFactory, () => credential.GetAsync(CancellationToken.None), trust);
        _connection.On<MeshSnapshot?>(FleetProtocol.ApplyConfig, OnApplyConfigAsync);
        _connection.On<ConfigDelta?>(FleetProtocol.ApplyDelta, OnApplyDeltaAsync);
        _connection.On<TransportSettings?>(FleetProtocol.ApplyTransport, transport.Take);
        _connection.Reconnecting += OnReconnectingAsync;
        _connection.Reconnected += OnReconnectedAsync;
        _connection.Closed += OnClosedAsync;
    }

    public bool IsConnected => _connection.State == HubConnectionState.Connected;

    /// <summary>Sends without waiting for the portal: the hub method returns nothing.</summary>
    public Task SendTelemetryAsync(TelemetryBatch batch, CancellationToken cancellationToken) =>
        _connection.SendAsync(FleetProtocol.Telemetry, batch, cancellationToken);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Log.GatewayStarting(_logger, _options.GatewayId, _options.Node, _options.ProxyUrl, _options.AdminUrl, string.Join(", ", _options.FleetHubUris));

        // Before the first connect attempt, so a gateway restarted while the portal is down serves at once,
        // and still takes and makes mTLS hops: its certificate and peers were kept beside the config.
        _renewer.LoadSaved();
        _transport.LoadSaved();
        await _applier.LoadLastKnownGoodAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await base.StopAsync(cancellationToken);
        await _connection.DisposeAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var applying = Task.Run(() => ApplyLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ConnectAsync(stoppingToken);

                // SignalR reconnects only after errors; a portal that closes politely (as it does on a
                // token for another node) ends the connection, and the next one is paced like a retry.
                await _closed.Task.WaitAsync(stoppingToken);
                await Task.Delay(_retry.Delay(0), _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await applying;
    }

    private async Task ConnectAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await _connection.StartAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = _retry.Delay(attempt);
                Log.ConnectFailed(_logger, _portals.Current.ToString(), attempt + 1, ex.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, _time, stoppingToken);
            }
        }

        _retry.Connected();
        _metrics.SetFleetConnected(true);
        Log.Connected(_logger, _portals.Current.ToString());
        await SendHelloAsync(stoppingToken);
    }

    private async Task SendHelloAsync(CancellationToken cancellationToken)
    {
        var applied = _applied.Current?.Snapshot;
        var hello = new GatewayHello
        {
            Node = _options.Node,
            GatewayId = _options.GatewayId,
            Version = Version,
            AppliedRevision = applied?.Revision ?? 0,
            AppliedHash = applied?.Hash,
            InboundUrl = _options.InboundUrl.Length > 0 ? _options.InboundUrl : null,
        };

        try
        {
            await _connection.InvokeAsync(FleetProtocol.Hello, hello, cancellationToken);
            Log.HelloSent(_logger, hello.AppliedRevision);
            _renewer.Connected((csr, ct) => _connection.InvokeAsync<IssuedCertificate>(FleetProtocol.RequestCertificate, csr, ct));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The connection is gone or the portal refused us: reconnecting says Hello again.
            Log.HelloFailed(_logger, ex.Message);
        }
    }

    private Task OnApplyConfigAsync(MeshSnapshot? snapshot)
    {
        Log.SnapshotReceived(_logger, snapshot?.Revision ?? 0);
        _inbox.Post(new ConfigMessage(snapshot, null));
        return Task.CompletedTask;
    }

    private Task OnApplyDeltaAsync(ConfigDelta? delta)
    {
        if (delta is not null)
        {
            Log.DeltaReceived(_logger, delta.Revision, delta.BaseRevision);
            _inbox.Post(new ConfigMessage(null, delta));
        }

        return Task.CompletedTask;
    }

    /// <summary>Applies what was pushed, one batch at a time: each batch is coalesced to its newest config.</summary>
    private async Task ApplyLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var queued = await _inbox.TakeAllAsync(stoppingToken);
                var current = _applied.Current?.Snapshot;
                Coalesced next;
                try
                {
                    next = ConfigCoalescer.Coalesce(current, queued);
                }
                catch (Exception ex) when (ex is NullReferenceException or ArgumentException)
                {
                    // A delta with null lists or members slips past deserialisation: malformed, so start over from a snapshot.
                    next = new Coalesced(DeltaFit.HashMismatch, null, queued.Count);
                }

                try
                {
                    await ActAsync(next, current, queued[^1]);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // As when SignalR ran the handler: one failed apply is logged, the next push is still taken.
                    Log.ApplyFailed(_logger, next.Snapshot?.Revision ?? 0, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ActAsync(Coalesced next, MeshSnapshot? current, ConfigMessage newest)
    {
        switch (next.Fit)
        {
            case DeltaFit.Composed or DeltaFit.Whole:
                if (next.Fit == DeltaFit.Composed)
                {
                    _metrics.DeltaComposed();
                }

                await ApplyAndAnswerAsync(next.Snapshot, next.HashChecked);
                break;
            case DeltaFit.Stale:
                break;
            case var unfit:
                Log.DeltaUnfit(_logger, newest.Delta?.Revision ?? 0, newest.Delta?.BaseRevision ?? 0, current?.Revision ?? 0, unfit);
                await RequestSnapshotAsync();
                break;
        }
    }

    private async Task RequestSnapshotAsync()
    {
        _metrics.SnapshotRequested();
        try
        {
            await _connection.SendAsync(FleetProtocol.RequestSnapshot);
        }
        catch (Exception ex)
        {
            // The connection is gone: the Hello of the next one gets the snapshot anyway.
            Log.SnapshotRequestFailed(_logger, ex.Message);
        }
    }

    private async Task ApplyAndAnswerAsync(MeshSnapshot? snapshot, bool hashChecked)
    {
        var revision = snapshot?.Revision ?? 0;
        var problem = await _applier.ApplyAsync(snapshot, persist: true, CancellationToken.None, hashChecked);
        try
        {
            // Send, not Invoke: the portal answers nothing, and the apply loop must not wait on a round trip.
            await (problem is null
                ? _connection.SendAsync(FleetProtocol.Ack, revision, snapshot!.Hash)
                : _connection.SendAsync(FleetProtocol.Nack, revision, problem));
        }
        catch (Exception ex)
        {
            Log.AnswerFailed(_logger, revision, ex.Message);
        }
    }

    private Task OnReconnectingAsync(Exception? error)
    {
        _renewer.Disconnected();
        _retry.Lost();
        _metrics.SetFleetConnected(false);
        Log.Reconnecting(_logger, error?.Message ?? "closed by the portal");
        return Task.CompletedTask;
    }

    private Task OnReconnectedAsync(string? connectionId)
    {
        _retry.Connected();
        _metrics.SetFleetConnected(true);
        Log.Reconnected(_logger);
        return SendHelloAsync(CancellationToken.None);
    }

    private Task OnClosedAsync(Exception? error)
    {
        _renewer.Disconnected();
        _retry.Lost();
        _metrics.SetFleetConnected(false);
        if (!_stopping)
        {
            Log.ConnectionClosed(_logger, error?.Message ?? "closed by the portal");
        }

        _closed.TrySetResult();
        return Task.CompletedTask;
    }
}

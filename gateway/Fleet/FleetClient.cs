using System.Reflection;
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
/// (re)connect, applies pushed snapshots and answers each with Ack or Nack, and lets the
/// <see cref="CertificateRenewer"/> ask for the node's certificate once Hello is taken.
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
    private readonly CertificateRenewer _renewer;
    private TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    public FleetClient(
        IOptions<GatewayOptions> options, ConfigApplier applier, AppliedConfig applied, GatewayMetrics metrics,
        Backoff backoff, TimeProvider time, GatewayCredential credential, CertificateRenewer renewer, ILoggerFactory loggerFactory, ILogger<FleetClient> logger)
    {
        _options = options.Value;
        _applier = applier;
        _applied = applied;
        _metrics = metrics;
        _retry = new FleetRetryPolicy(backoff, time);
        _time = time;
        _logger = logger;
        _renewer = renewer;
        _portals = new PortalRotation(_options.FleetHubUris);
        // An enrollment that fails (portal away, join token refused) fails this connect attempt, so it is retried with the same backoff.
        _connection = FleetConnection.Build(_options, _portals, _retry, loggerFactory, () => credential.GetAsync(CancellationToken.None));
        _connection.On<MeshSnapshot?>(FleetProtocol.ApplyConfig, OnApplyConfigAsync);
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

        // Before the first connect attempt, so a gateway restarted while the portal is down serves at once.
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

    private async Task OnApplyConfigAsync(MeshSnapshot? snapshot)
    {
        var revision = snapshot?.Revision ?? 0;
        Log.SnapshotReceived(_logger, revision);
        var problem = await _applier.ApplyAsync(snapshot, persist: true, CancellationToken.None);
        try
        {
            // Send, not Invoke: this runs on SignalR's receive loop, which must stay free to read replies.
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

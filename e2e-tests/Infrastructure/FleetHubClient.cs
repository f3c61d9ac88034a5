using System.Collections.Concurrent;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>
/// A hand-driven gateway: a real SignalR connection to the portal's fleet hub with a real token,
/// sending whatever a test (playing an attacker) wants, and recording what the portal sends back.
/// </summary>
public sealed class FleetHubClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FleetHubClient(string portalUrl, string token)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl($"{portalUrl}{FleetProtocol.HubPath}", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => MeshJson.Configure(o.PayloadSerializerOptions))
            .Build();
        _connection.On<MeshSnapshot?>(FleetProtocol.ApplyConfig, s => Received.Enqueue(s));
        _connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    public ConcurrentQueue<MeshSnapshot?> Received { get; } = new();

    /// <summary>Completes when the portal (or the network) ends the connection.</summary>
    public Task<Exception?> Closed => _closed.Task;

    public HubConnectionState State => _connection.State;

    public static async Task<FleetHubClient> ConnectAsync(string portalUrl, string token)
    {
        var client = new FleetHubClient(portalUrl, token);
        await client._connection.StartAsync();
        return client;
    }

    public Task HelloAsync(string node, string gatewayId, long appliedRevision = 0, string? appliedHash = null) =>
        _connection.InvokeAsync(FleetProtocol.Hello, new GatewayHello
        {
            Node = node, GatewayId = gatewayId, Version = "e2e", AppliedRevision = appliedRevision, AppliedHash = appliedHash,
        });

    public Task<bool> AckAsync(long revision, string hash) => _connection.InvokeAsync<bool>(FleetProtocol.Ack, revision, hash);

    public Task<bool> TelemetryAsync(TelemetryBatch batch) => _connection.InvokeAsync<bool>(FleetProtocol.Telemetry, batch);

    /// <summary>As a real gateway sends telemetry: without waiting for an answer.</summary>
    public Task SendTelemetryAsync(TelemetryBatch batch) => _connection.SendAsync(FleetProtocol.Telemetry, batch);

    /// <summary>As a real gateway asks after a gap: without waiting for an answer.</summary>
    public Task SendRequestSnapshotAsync() => _connection.SendAsync(FleetProtocol.RequestSnapshot);

    public Task<bool> RequestSnapshotAsync() => _connection.InvokeAsync<bool>(FleetProtocol.RequestSnapshot);

    public Task<IssuedCertificate> RequestCertificateAsync(string csrPem) =>
        _connection.InvokeAsync<IssuedCertificate>(FleetProtocol.RequestCertificate, csrPem);

    public Task StopAsync() => _connection.StopAsync();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    public static TelemetryBatch Batch(string node, long unixSecond, IEnumerable<string> sources) => new()
    {
        Node = node,
        UnixSecond = unixSecond,
        Records = [.. sources.Select(source => new TelemetryRecord
        {
            Source = source, Route = "catalog", Service = "catalog", Subset = "v1", StatusClass = 2, Count = 1,
            Latency = [.. Enumerable.Range(0, LatencyBuckets.Count).Select(i => i == 3 ? 1L : 0L)],
        })],
    };
}

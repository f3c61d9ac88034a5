using System.Collections.Concurrent;
using System.Diagnostics;
using MeshPortal.Gateway.Fleet;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshPortal.Bench.ControlPlane;

/// <summary>
/// A light gateway: the real fleet transport, a delta composed onto its config with the whole result's
/// hash checked as a real gateway does (a snapshot asked for on a gap), the real validation, then Ack or
/// Nack, but no proxy. Hundreds fit in one process. It says Hello like a gateway, since the
/// portal pushes only to connections that did, for the node of their token.
/// </summary>
internal sealed class SimulatedGateway : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly GatewayOptions _options;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<long>> _received = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<long>> _answered = new();

    // The config it runs; SignalR calls the handlers one at a time.
    private MeshSnapshot? _current;

    public SimulatedGateway(string portalUrl, string node, string token)
    {
        _options = new GatewayOptions { PortalUrl = portalUrl, Token = token, Node = node, GatewayId = $"{node}-bench" };
        _connection = FleetConnection.Build(_options, new PortalRotation(_options.FleetHubUris), new FleetRetryPolicy(Backoff.Default, TimeProvider.System), NullLoggerFactory.Instance);
        _connection.On<MeshSnapshot?>(FleetProtocol.ApplyConfig, OnApplyConfigAsync);
        _connection.On<ConfigDelta?>(FleetProtocol.ApplyDelta, OnApplyDeltaAsync);
    }

    public async Task StartAsync(CancellationToken ct)
    {
        await _connection.StartAsync(ct);
        await _connection.InvokeAsync(FleetProtocol.Hello, new GatewayHello { Node = _options.Node, GatewayId = _options.GatewayId, Version = "bench" }, ct);
    }

    /// <summary>When the snapshot of <paramref name="revision"/> arrived (a Stopwatch timestamp).</summary>
    public Task<long> ReceivedAsync(long revision) => Slot(_received, revision).Task;

    /// <summary>When the Ack or Nack of <paramref name="revision"/> was sent (a Stopwatch timestamp).</summary>
    public Task<long> AnsweredAsync(long revision) => Slot(_answered, revision).Task;

    private Task OnApplyConfigAsync(MeshSnapshot? snapshot)
    {
        Slot(_received, snapshot?.Revision ?? 0).TrySetResult(Stopwatch.GetTimestamp());
        return AnswerAsync(snapshot, hashChecked: false);
    }

    private async Task OnApplyDeltaAsync(ConfigDelta? delta)
    {
        if (delta is null)
        {
            return;
        }

        Slot(_received, delta.Revision).TrySetResult(Stopwatch.GetTimestamp());
        switch (DeltaComposer.Compose(_current, delta, out var composed))
        {
            case DeltaFit.Composed:
                await AnswerAsync(composed, hashChecked: true);
                break;
            case DeltaFit.Gap or DeltaFit.HashMismatch:
                await _connection.SendAsync(FleetProtocol.RequestSnapshot);
                break;
        }
    }

    private async Task AnswerAsync(MeshSnapshot? snapshot, bool hashChecked)
    {
        var revision = snapshot?.Revision ?? 0;
        var problem = SnapshotCheck.FindProblem(snapshot, hashChecked);
        if (problem is null)
        {
            _current = snapshot;
        }

        await (problem is null
            ? _connection.SendAsync(FleetProtocol.Ack, revision, snapshot!.Hash)
            : _connection.SendAsync(FleetProtocol.Nack, revision, problem));
        Slot(_answered, revision).TrySetResult(Stopwatch.GetTimestamp());
    }

    private static TaskCompletionSource<long> Slot(ConcurrentDictionary<long, TaskCompletionSource<long>> slots, long revision) =>
        slots.GetOrAdd(revision, static _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

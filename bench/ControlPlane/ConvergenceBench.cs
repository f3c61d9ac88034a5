using System.Diagnostics;
using MeshPortal.Bench.Common;
using MeshPortal.Shared.Config;

namespace MeshPortal.Bench.ControlPlane;

/// <summary>
/// Commits one split change at a time and times it from its commit to the portal holding the last
/// gateway's ACK: the portal says when that ACK arrived, on the wall clock this process shares with it.
/// Beside it: commit → push (seen by an observer, itself a light gateway), the portal's own figure (head
/// seen → last ACK) and, for simulated gateways, commit → the last ACK sent. The gateways are the real
/// ones already connected, plus <c>simulated</c> light ones. Changes are made unmeasured for
/// <c>warmupSeconds</c> first: a fresh process spends its first seconds in the tiered JIT (over half of the
/// portal's and the simulator's CPU in the first 6 s of changes, sampled per thread), which a gateway or
/// portal that has been up for minutes no longer pays.
/// </summary>
internal sealed class ConvergenceBench(PortalApi api, string connectionString, int changes, int simulated, int portalPid, int warmupSeconds)
{
    private const string RouteId = "cp";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    private int _made;

    public async Task<ConvergenceResult> RunAsync(CancellationToken ct)
    {
        await EnsureRouteAsync();
        var gateways = await StartSimulatedAsync(ct);
        var observer = new SimulatedGateway(api.BaseUrl, "bench-observer", await api.MintGatewayTokenAsync("bench-observer"));
        await observer.StartAsync(ct);
        await using var clock = new CommitClock(connectionString);
        await clock.StartAsync();
        try
        {
            var connected = (await api.GatewaysAsync()).Count(g => g.State != "DISCONNECTED");
            await api.WaitSyncedAsync(connected, TimeSpan.FromSeconds(60));

            // The observer measures; the figures speak of the gateways under test.
            var fleet = connected - 1;
            var warmup = await WarmUpAsync(gateways, observer, ct);
            Console.Error.WriteLine($"control plane: {changes} changes, {fleet} gateways ({simulated} simulated), after {warmup} unmeasured in {warmupSeconds} s");
            var total = new List<double>();
            var toPush = new List<double>();
            var portal = new List<double>();
            var lastAck = new List<double>();
            var portalCpu = ProcessCpu.Seconds(portalPid);
            var simulatorCpu = ProcessCpu.Seconds(Environment.ProcessId);
            for (var i = 0; i < changes; i++)
            {
                var revision = await ChangeAsync();
                var committed = await clock.CommittedAsync(revision).WaitAsync(StepTimeout, ct);
                var pushed = await observer.ReceivedAsync(revision).WaitAsync(StepTimeout, ct);
                if (gateways.Count > 0)
                {
                    var answered = await Task.WhenAll(gateways.Select(g => g.AnsweredAsync(revision))).WaitAsync(StepTimeout, ct);
                    lastAck.Add(Milliseconds(committed.Timestamp, answered.Max()));
                }

                var converged = await ConvergedAsync(revision, ct);
                toPush.Add(Milliseconds(committed.Timestamp, pushed));
                portal.Add(converged.Milliseconds);
                total.Add((converged.ConvergedAt - committed.At).TotalMilliseconds);

                // Apart, so each change is timed on its own rather than queued behind the previous one.
                await Task.Delay(Random.Shared.Next(20, 60), ct);
            }

            var portalCpuMs = (ProcessCpu.Seconds(portalPid) - portalCpu) * 1000 / changes;
            var simulatorCpuMs = (ProcessCpu.Seconds(Environment.ProcessId) - simulatorCpu) * 1000 / changes;
            Console.Error.WriteLine($"control plane: {fleet} gateways converged p50 {Stats.Median(total):0.0} ms, p99 {Stats.Percentile(total, 99):0.0} ms; " +
                $"CPU per change: portal {portalCpuMs:0.0} ms, simulated fleet {simulatorCpuMs:0.0} ms");

            return new ConvergenceResult
            {
                Gateways = fleet, Changes = changes, Routes = await api.RouteCountAsync(),
                TotalMs = total, CommitToPushMs = toPush, PortalMs = portal, LastAckSentMs = lastAck,
                PortalCpuMsPerChange = portalCpuMs, SimulatorCpuMsPerChange = simulatorCpuMs,
            };
        }
        finally
        {
            await observer.DisposeAsync();
            await Task.WhenAll(gateways.Select(g => g.DisposeAsync().AsTask()));
        }
    }

    // Split(0) is the route's own, and consecutive numbers give different weights: a change equal to the head would append nothing.
    private Task<long> ChangeAsync() => api.PutSplitAsync(RouteId, Split(++_made), $"benchmark change {_made}");

    /// <summary>Changes one after another, each awaited to the last simulated gateway's answer, until the time is up.</summary>
    private async Task<int> WarmUpAsync(List<SimulatedGateway> gateways, SimulatedGateway observer, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var made = 0;
        while (clock.Elapsed.TotalSeconds < warmupSeconds)
        {
            made++;
            var revision = await ChangeAsync();
            await observer.ReceivedAsync(revision).WaitAsync(StepTimeout, ct);
            await Task.WhenAll(gateways.Select(g => g.AnsweredAsync(revision))).WaitAsync(StepTimeout, ct);
            await ConvergedAsync(revision, ct);
        }

        return made;
    }

    private async Task EnsureRouteAsync()
    {
        await api.RegisterServiceAsync(new ServiceConfig
        {
            Name = RouteId,
            Owner = "bench",
            Subsets =
            [
                new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = "cp-v1", Address = "http://127.0.0.1:9" }] },
                new SubsetConfig { Name = "v2", Instances = [new InstanceConfig { Id = "cp-v2", Address = "http://127.0.0.1:9" }] },
            ],
        });
        await api.PutRouteAsync(new RouteConfig { Id = RouteId, Match = new RouteMatch { Hosts = [RouteId] }, Backends = Split(0) });
    }

    /// <summary>Every change moves the weights, so every revision is a new config with a new hash.</summary>
    private static IReadOnlyList<BackendRef> Split(int change)
    {
        var v1 = 1 + change % 99;
        return
        [
            new BackendRef { Service = RouteId, Subset = "v1", Weight = v1 },
            new BackendRef { Service = RouteId, Subset = "v2", Weight = 100 - v1 },
        ];
    }

    private async Task<List<SimulatedGateway>> StartSimulatedAsync(CancellationToken ct)
    {
        var gateways = new List<SimulatedGateway>();
        for (var i = 0; i < simulated; i++)
        {
            var node = $"sim-{i:D3}";
            gateways.Add(new SimulatedGateway(api.BaseUrl, node, await api.MintGatewayTokenAsync(node)));
        }

        // A few at a time: the portal checks each token in PostgreSQL as the socket opens.
        foreach (var batch in gateways.Chunk(20))
        {
            await Task.WhenAll(batch.Select(g => g.StartAsync(ct)));
        }

        return gateways;
    }

    private async Task<Convergence> ConvergedAsync(long revision, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StepTimeout)
        {
            if ((await api.ConvergenceAsync()).FirstOrDefault(c => c.Revision == revision) is { } converged)
            {
                return converged;
            }

            // The portal dates the convergence itself: polling more often would only take its CPU.
            await Task.Delay(25, ct);
        }

        throw new TimeoutException($"revision {revision} did not converge within {StepTimeout.TotalSeconds} s");
    }

    private static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}

using System.Buffers;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace MeshPortal.Bench.ControlPlane;

/// <summary>
/// Where a gateway's CPU goes for one delta, in process, without sockets: the hub protocol's parse of
/// the ApplyDelta frame, <see cref="DeltaComposer.Compose"/>, <see cref="SnapshotCheck.FindProblem"/> and the
/// Ack frame written, for <c>gateways</c> gateways each holding its own deserialised config. Timed in the
/// process's CPU time, so other processes on the machine do not count.
/// </summary>
internal sealed class GatewayCheckBench(int gateways, int changes)
{
    public void Run()
    {
        var protocol = new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions
        {
            PayloadSerializerOptions = MeshJson.Configure(new JsonHubProtocolOptions().PayloadSerializerOptions),
        }));
        var head = MeshSnapshot.Create(1, Config(0));
        var frame = Frame(protocol, FleetProtocol.ApplyConfig, head);
        var current = new MeshSnapshot[gateways];
        for (var g = 0; g < gateways; g++)
        {
            current[g] = (MeshSnapshot)Parse(protocol, frame, typeof(MeshSnapshot));
        }

        var phases = new double[4];
        long allocated = 0;
        for (var c = 1; c <= changes; c++)
        {
            var next = MeshSnapshot.Create(c + 1, Config(c));
            var delta = ConfigDeltas.Between(ConfigIndex.Of(head), ConfigIndex.Of(next)) ?? throw new InvalidOperationException("no delta");
            head = next;
            var deltaFrame = Frame(protocol, FleetProtocol.ApplyDelta, delta);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var measured = c > changes / 5;
            var read = new ConfigDelta[gateways];
            var composed = new MeshSnapshot?[gateways];
            Phase(phases, 0, measured, () =>
            {
                for (var g = 0; g < gateways; g++)
                {
                    read[g] = (ConfigDelta)Parse(protocol, deltaFrame, typeof(ConfigDelta));
                }
            });
            Phase(phases, 1, measured, () =>
            {
                for (var g = 0; g < gateways; g++)
                {
                    if (DeltaComposer.Compose(current[g], read[g], out composed[g]) != DeltaFit.Composed)
                    {
                        throw new InvalidOperationException("the delta did not compose");
                    }
                }
            });
            Phase(phases, 2, measured, () =>
            {
                for (var g = 0; g < gateways; g++)
                {
                    if (SnapshotCheck.FindProblem(composed[g], hashChecked: true) is { } problem)
                    {
                        throw new InvalidOperationException(problem);
                    }
                }
            });
            Phase(phases, 3, measured, () =>
            {
                for (var g = 0; g < gateways; g++)
                {
                    current[g] = composed[g]!;
                    Frame(protocol, FleetProtocol.Ack, current[g].Revision, current[g].Hash);
                }
            });

            if (c > changes / 5)
            {
                allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            }
        }

        var n = (double)gateways * (changes - changes / 5);
        Console.Error.WriteLine($"per gateway per delta ({head.Config.Routes.Count} routes): parse {phases[0] / n:0.0} µs, compose {phases[1] / n:0.0} µs, " +
            $"validate {phases[2] / n:0.0} µs, ack {phases[3] / n:0.0} µs, total {phases.Sum() / n:0.0} µs, allocated {allocated / n:0} B");
    }

    /// <summary>The bench's full-run mesh: the data-plane route, twenty freshness routes and the changing split.</summary>
    private static MeshConfig Config(int change)
    {
        static ServiceConfig Service(string name, params string[] subsets) => new()
        {
            Name = name, Owner = "bench",
            Subsets = [.. subsets.Select(s => new SubsetConfig { Name = s, Instances = [new InstanceConfig { Id = $"{name}-{s}", Address = "http://127.0.0.1:9", Node = "n1" }] })],
        };

        static RouteConfig Route(string id, params BackendRef[] backends) => new()
        {
            Id = id, Match = new RouteMatch { Hosts = [id] }, Backends = backends,
            Policies = new RoutePolicies { TimeoutMs = 10_000, Retries = new RetryPolicy { Attempts = 2 } },
        };

        var fresh = Enumerable.Range(0, 20).Select(i => $"fresh-{i:D2}").ToList();
        var v1 = 1 + change % 99;
        return new MeshConfig
        {
            Services = [Service("bench", "v1", "v2"), Service("cp", "v1", "v2"), .. fresh.Select(f => Service(f, "v1"))],
            Routes =
            [
                Route("bench", new BackendRef { Service = "bench", Subset = "v1", Weight = 90 }, new BackendRef { Service = "bench", Subset = "v2", Weight = 10 }),
                Route("cp", new BackendRef { Service = "cp", Subset = "v1", Weight = v1 }, new BackendRef { Service = "cp", Subset = "v2", Weight = 100 - v1 }),
                .. fresh.Select(f => Route(f, new BackendRef { Service = f, Subset = "v1", Weight = 100 })),
            ],
        };
    }

    /// <summary>The process's CPU time (getrusage, in microseconds) of one phase for the whole fleet.</summary>
    private static void Phase(double[] phases, int phase, bool measured, Action run)
    {
        var before = Environment.CpuUsage.TotalTime;
        run();
        if (measured)
        {
            phases[phase] += (Environment.CpuUsage.TotalTime - before).TotalMicroseconds;
        }
    }

    private static ReadOnlyMemory<byte> Frame(IHubProtocol protocol, string target, params object?[] arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        protocol.WriteMessage(new InvocationMessage(target, arguments), buffer);
        return buffer.WrittenMemory;
    }

    private static object Parse(IHubProtocol protocol, ReadOnlyMemory<byte> frame, Type argument)
    {
        var input = new ReadOnlySequence<byte>(frame);
        return protocol.TryParseMessage(ref input, new Binder(argument), out var message) && message is InvocationMessage { Arguments: [{ } read] }
            ? read
            : throw new InvalidOperationException("the frame did not parse");
    }

    private sealed class Binder(Type argument) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [argument];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}


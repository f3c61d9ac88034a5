using System.Buffers;
using System.Diagnostics;
using MeshPortal.Bench.Common;
using MeshPortal.Gateway.State;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace MeshPortal.Bench.ControlPlane.Portal;

/// <summary>
/// The fleet hub's two big messages as SignalR frames: the full snapshot of a large mesh (ApplyConfig)
/// and the delta of a one-route change (ApplyDelta), written and parsed back by the hub protocol
/// itself, JSON with the hub's options beside MessagePack with SignalR's default resolver. Each round
/// trip must give back the snapshot's hash, else the protocol could not carry our records.
/// </summary>
internal sealed class WireFormatBench(int routes, int instances, int repeats)
{
    public WireFormatResult Run()
    {
        var json = new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions
        {
            PayloadSerializerOptions = MeshJson.Configure(new JsonHubProtocolOptions().PayloadSerializerOptions),
        }));
        var messagePack = new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions()));

        var before = MeshSnapshot.Create(1, LargeMesh.Create(routes, instances, 0));
        var after = MeshSnapshot.Create(2, LargeMesh.Create(routes, instances, 1));
        var delta = ConfigDeltas.Between(ConfigIndex.Of(before), ConfigIndex.Of(after)) ?? throw new InvalidOperationException("no delta");

        // The hash of what came back is computed afresh (a snapshot's Hash field would just be echoed).
        bool SameSnapshot(object s) => MeshSnapshot.Create(1, ((MeshSnapshot)s).Config).Hash == before.Hash;
        var snapshotJson = Measure(json, FleetProtocol.ApplyConfig, before, SameSnapshot, repeats);
        var snapshotPack = Measure(messagePack, FleetProtocol.ApplyConfig, before, SameSnapshot, repeats);
        var deltaJson = Measure(json, FleetProtocol.ApplyDelta, delta, d => Composes(before, (ConfigDelta)d, after.Hash), repeats * 50);
        var deltaPack = Measure(messagePack, FleetProtocol.ApplyDelta, delta, d => Composes(before, (ConfigDelta)d, after.Hash), repeats * 50);
        return new WireFormatResult
        {
            Routes = routes, Instances = instances,
            SnapshotJson = snapshotJson, SnapshotMessagePack = snapshotPack, DeltaJson = deltaJson, DeltaMessagePack = deltaPack,
        };
    }

    /// <summary>
    /// Bytes of the frame, the median wall time of writing it and parsing it back, and the process's CPU
    /// per round trip (GC included; /proc counts in 10 ms ticks, so it is taken over all the rounds);
    /// whether what came back still hashes the same. The first round warms the JIT and the resolver's formatters.
    /// </summary>
    private static WireFigure Measure(IHubProtocol protocol, string target, object argument, Func<object, bool> same, int rounds)
    {
        var binder = new Binder(argument.GetType());
        var (bytes, read, failure) = RoundTrip(protocol, target, argument, binder);
        var intact = read is not null && SafeSame(same, read, ref failure);
        var wall = new List<double>();
        var cpuStart = ProcessCpu.Seconds(Environment.ProcessId);
        for (var i = 0; i < rounds; i++)
        {
            var started = Stopwatch.GetTimestamp();
            RoundTrip(protocol, target, argument, binder);
            wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var cpuMs = (ProcessCpu.Seconds(Environment.ProcessId) - cpuStart) * 1000 / rounds;
        Console.Error.WriteLine($"{target} {protocol.Name}: {bytes:N0} bytes, write + parse {Stats.Median(wall):0.000} ms (CPU {cpuMs:0.000} ms), " +
            (intact ? "round-trips" : $"does NOT round-trip: {failure ?? "a different hash"}"));
        return new WireFigure { Bytes = bytes, Ms = Stats.Median(wall), CpuMs = cpuMs, RoundTrips = intact, Failure = failure };
    }

    private static (long Bytes, object? Read, string? Failure) RoundTrip(IHubProtocol protocol, string target, object argument, IInvocationBinder binder)
    {
        var buffer = new ArrayBufferWriter<byte>();
        protocol.WriteMessage(new InvocationMessage(target, [argument]), buffer);
        var frame = new ReadOnlySequence<byte>(buffer.WrittenMemory);
        try
        {
            if (!protocol.TryParseMessage(ref frame, binder, out var message))
            {
                return (buffer.WrittenCount, null, "the frame did not parse");
            }

            return message switch
            {
                InvocationMessage { Arguments: [var read] } => (buffer.WrittenCount, read, null),
                InvocationBindingFailureMessage f => (buffer.WrittenCount, null, f.BindingFailure.SourceException.Message),
                _ => (buffer.WrittenCount, null, $"read back as {message?.GetType().Name}"),
            };
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or MessagePack.MessagePackSerializationException)
        {
            return (buffer.WrittenCount, null, ex.Message);
        }
    }

    private static bool SafeSame(Func<object, bool> same, object read, ref string? failure)
    {
        try
        {
            return same(read);
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or ArgumentException)
        {
            // A record read back with a null where the type promises a value.
            failure = ex.Message;
            return false;
        }
    }

    /// <summary>As a gateway does: the delta composed onto the snapshot before it must give the new hash.</summary>
    private static bool Composes(MeshSnapshot before, ConfigDelta delta, string hash) =>
        DeltaComposer.Compose(before, delta, out var composed) == DeltaFit.Composed && composed!.Hash == hash;

    private sealed class Binder(Type argument) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [argument];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}

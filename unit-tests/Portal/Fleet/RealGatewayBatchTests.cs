using System.Text.Json;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Portal.Fleet;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.UnitTests.Portal.Fleet;

/// <summary>The portal's limits must let through the biggest batch a real gateway can produce.</summary>
public sealed class RealGatewayBatchTests
{
    /// <summary>A full window: every key a distinct 63-character source, each character escaped in JSON.</summary>
    private static TelemetryBatch WorstCaseBatch()
    {
        var window = new TrafficWindow(1_800_000_000, TrafficAggregator.MaxKeysPerWindow);
        for (var i = 0; i < TrafficAggregator.MaxKeysPerWindow + 10; i++)
        {
            var source = $"{i:D5}".PadRight(63, '<');
            window.Record(new TrafficKey(source, new string('r', 63), new string('s', 63), new string('v', 63), 5), 12_345);
        }

        return new TelemetryBatch { Node = "n1", UnixSecond = window.UnixSecond, Records = window.ToRecords(), Dropped = long.MaxValue };
    }

    [Fact]
    public void Problem_FullestRealWindow_None()
    {
        Assert.Equal(TelemetryLimits.MaxRecordsPerBatch, TrafficAggregator.MaxKeysPerWindow);
        Assert.Null(TelemetryLimits.Problem(WorstCaseBatch()));
    }

    [Fact]
    public void MaxMessageBytes_FullestRealWindow_Fits()
    {
        var message = JsonSerializer.SerializeToUtf8Bytes(
            new { type = 1, target = FleetProtocol.Telemetry, arguments = new object[] { WorstCaseBatch() } }, MeshJson.Options);
        Assert.InRange(message.Length, 3_000_000, new FleetOptions().MaxMessageBytes);
    }

    [Fact]
    public void Problem_MoreRecordsThanAWindow_Refused()
    {
        var batch = WorstCaseBatch();
        Assert.NotNull(TelemetryLimits.Problem(batch with { Records = [.. batch.Records, batch.Records[0]] }));
    }

    [Fact]
    public void Problem_RecordWithOversizedLatency_Refused()
    {
        var record = new TelemetryRecord { Source = "a", Route = "b", Service = "c", Subset = "d", Latency = new long[10_000] };
        Assert.NotNull(TelemetryLimits.Problem(new TelemetryBatch { Node = "n1", Records = [record] }));
    }
}

using MeshPortal.Portal.Fleet;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Portal.Fleet;

public sealed class TelemetryGateTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z"));
    private readonly FleetOptions _options = new()
    {
        TelemetryBatchBurst = 10, TelemetryBatchesPerSecond = 5, TelemetryRecordBurst = 20_000, TelemetryRecordsPerSecond = 10_000,
    };

    [Fact]
    public void TryPass_BurstOfBatches_ExcessRefusedThenRefilled()
    {
        var gate = new TelemetryGate(_time, _options);
        Assert.Equal(10, Enumerable.Range(0, 50).Count(_ => gate.TryPass(1)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, Enumerable.Range(0, 50).Count(_ => gate.TryPass(1)));
    }

    [Fact]
    public void TryPass_BigBatches_LimitedByRecords()
    {
        var gate = new TelemetryGate(_time, _options);
        Assert.Equal(4, Enumerable.Range(0, 10).Count(_ => gate.TryPass(5_000)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => gate.TryPass(5_000)));
    }

    [Fact]
    public void TryPass_GatewayPace_AlwaysPasses()
    {
        var gate = new TelemetryGate(_time, _options);
        for (var i = 0; i < 600; i++)
        {
            Assert.True(gate.TryPass(5_000));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Per-connection token buckets for telemetry: batches per second and records per second. A batch
/// passes only when both have room; refused batches take nothing from either.
/// </summary>
public sealed class TelemetryGate(TimeProvider time, FleetOptions options)
{
    private readonly Lock _gate = new();
    private readonly long _start = time.GetTimestamp();
    private double _batches = options.TelemetryBatchBurst;
    private double _records = options.TelemetryRecordBurst;
    private TimeSpan _last;

    public bool TryPass(int records)
    {
        lock (_gate)
        {
            var now = time.GetElapsedTime(_start);
            var seconds = (now - _last).TotalSeconds;
            _last = now;
            _batches = Math.Min(options.TelemetryBatchBurst, _batches + (seconds * options.TelemetryBatchesPerSecond));
            _records = Math.Min(options.TelemetryRecordBurst, _records + (seconds * options.TelemetryRecordsPerSecond));
            if (_batches < 1 || _records < records)
            {
                return false;
            }

            _batches--;
            _records -= records;
            return true;
        }
    }
}

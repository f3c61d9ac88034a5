using System.Globalization;

namespace MeshPortal.Samples.Shop;

/// <summary>Demo fault switch: makes a fraction of <c>GET /</c> answers fail with 500.</summary>
public sealed partial class FaultSwitch(ILogger<FaultSwitch> logger)
{
    private double errorRate;

    public double ErrorRate => Volatile.Read(ref errorRate);

    /// <summary>True when this request should fail, drawn with the current error rate.</summary>
    public bool ShouldFail() => Random.Shared.NextDouble() < ErrorRate;

    public void Set(double rate)
    {
        Volatile.Write(ref errorRate, rate);
        LogFaultSet(logger, rate);
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/fault", (FaultSwitch fault) => Results.Ok(new FaultSetting(fault.ErrorRate)));
        app.MapPost("/fault", (string? errorRate, FaultSwitch fault) =>
        {
            if (!double.TryParse(errorRate, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
                || rate is < 0 or > 1 || double.IsNaN(rate))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["errorRate"] = ["errorRate must be a number between 0 and 1, e.g. POST /fault?errorRate=0.3"],
                });
            }
            fault.Set(rate);
            return Results.Ok(new FaultSetting(rate));
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fault switch set: errorRate={ErrorRate}")]
    private static partial void LogFaultSet(ILogger logger, double errorRate);
}

public sealed record FaultSetting(double ErrorRate);

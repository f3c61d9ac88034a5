using MeshPortal.Samples.Shop;

// One executable, one role: --role frontend|catalog|inventory|load (see ShopOptions.Usage).
var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
if (!ShopOptions.TryRead(configuration, out var options, out var error))
{
    await Console.Error.WriteLineAsync($"{error}\n{ShopOptions.Usage}");
    return 2;
}

if (options.Role == "load")
{
    var loadBuilder = Host.CreateApplicationBuilder(args);
    ConfigureLogging(loadBuilder.Logging);
    MeshClient.Register(loadBuilder.Services, options);
    loadBuilder.Services.AddHostedService<LoadGenerator>();
    await loadBuilder.Build().RunAsync();
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
ConfigureLogging(builder.Logging);
MeshClient.Register(builder.Services, options);
builder.Services.AddSingleton<FaultSwitch>();
builder.Services.AddProblemDetails();

var app = builder.Build();
ServiceRoles.Map(app, options);
ShopLog.Starting(app.Logger, options.ServiceName, options.Subset, options.Instance, options.Gateway);
await app.RunAsync();
return 0;

static void ConfigureLogging(ILoggingBuilder logging)
{
    logging.AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
    });
    // One line per request would drown the demo's output.
    logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
}

internal static partial class ShopLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Service} subset {Subset} instance {Instance}, gateway {Gateway}")]
    public static partial void Starting(ILogger logger, string service, string subset, string instance, Uri gateway);
}

// YARP with nothing of the mesh: one catch-all route to one backend, default settings. The data-plane
// benchmark holds the gateway against it to price the mesh features (split, policies, telemetry).
// Usage: --urls http://127.0.0.1:PORT --backend http://127.0.0.1:PORT
using Yarp.ReverseProxy.Configuration;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

// The gateway's logging (see gateway/appsettings.json): without it each request would also start an
// Activity, and the ratio would price that instead of the mesh features.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
var backend = builder.Configuration["backend"]
    ?? throw new InvalidOperationException("--backend http://host:port is required");
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**catch-all}" } }],
    [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["b1"] = new() { Address = backend } } }]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();

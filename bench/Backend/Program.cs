// The benchmarks' backend: answers every request with the same 1 KB body, as cheaply as Kestrel
// allows, so the proxies in front of it are what the figures compare.
// POST /_bench/fail and /_bench/recover switch every other answer to 500 and back (telemetry freshness).
using MeshPortal.Bench.Backend;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
var responder = new Responder();
app.Run(responder.HandleAsync);
app.Run();

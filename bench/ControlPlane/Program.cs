// Control-plane benchmarks. Figures go to the JSON file given by --json, progress to stderr.
//   converge --portal URL --api-key KEY --pg CONNECTION --changes N --simulated N --portal-pid PID --warmup-seconds N --json PATH
//   snapshot --routes N --instances N --repeats N --json PATH
//   writes --portal URL --api-key KEY --small N --large N --writes N --portal-pid PID --json PATH
//   topology --portal URL --api-key KEY --services N --samples N --portal-pid PID --json PATH
//   wire --routes N --instances N --repeats N --json PATH
//   gateway-check --gateways N --changes N   (a gateway's CPU per delta by phase, in process, to stderr)
using MeshPortal.Bench.Common;
using MeshPortal.Bench.ControlPlane;
using MeshPortal.Bench.ControlPlane.Portal;

if (args.Length == 0 || args[0] is not ("converge" or "snapshot" or "writes" or "topology" or "wire" or "gateway-check"))
{
    Console.Error.WriteLine("usage: converge --portal URL --api-key KEY --pg CONNECTION --changes N --simulated N --portal-pid PID --warmup-seconds N --json PATH\n" +
        "       snapshot --routes N --instances N --repeats N --json PATH\n" +
        "       writes --portal URL --api-key KEY --small N --large N --writes N --portal-pid PID --json PATH\n" +
        "       topology --portal URL --api-key KEY --services N --samples N --portal-pid PID --json PATH\n" +
        "       wire --routes N --instances N --repeats N --json PATH\n" +
        "       gateway-check --gateways N --changes N");
    return 2;
}

var options = new ConfigurationBuilder().AddCommandLine(args[1..]).Build();
string Required(string name) => options[name] ?? throw new ArgumentException($"--{name} is required");
int Number(string name) => int.Parse(Required(name), System.Globalization.CultureInfo.InvariantCulture);

using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
if (args[0] == "converge")
{
    using var api = new PortalApi(Required("portal"), Required("api-key"));
    var result = await new ConvergenceBench(api, Required("pg"), Number("changes"), Number("simulated"), Number("portal-pid"), Number("warmup-seconds")).RunAsync(stop.Token);
    await BenchJson.WriteAsync(Required("json"), result);
}
else if (args[0] == "writes")
{
    using var api = new PortalApi(Required("portal"), Required("api-key"));
    var result = await new RouteWriteBench(api, Required("api-key"), Number("small"), Number("large"), Number("writes"), Number("portal-pid")).RunAsync(stop.Token);
    await BenchJson.WriteAsync(Required("json"), result);
}
else if (args[0] == "topology")
{
    using var api = new PortalApi(Required("portal"), Required("api-key"));
    var result = await new TopologyBench(api, Required("api-key"), Number("services"), Number("samples"), Number("portal-pid")).RunAsync(stop.Token);
    await BenchJson.WriteAsync(Required("json"), result);
}
else if (args[0] == "gateway-check")
{
    new GatewayCheckBench(Number("gateways"), Number("changes")).Run();
}
else if (args[0] == "wire")
{
    await BenchJson.WriteAsync(Required("json"), new WireFormatBench(Number("routes"), Number("instances"), Number("repeats")).Run());
}
else
{
    var result = await new SnapshotBench(Number("routes"), Number("instances"), Number("repeats")).RunAsync(stop.Token);
    await BenchJson.WriteAsync(Required("json"), result);
}

return 0;

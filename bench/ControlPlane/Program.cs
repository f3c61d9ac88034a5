// Control-plane benchmarks. Figures go to the JSON file given by --json, progress to stderr.
//   converge --portal URL --api-key KEY --pg CONNECTION --changes N --simulated N --portal-pid PID --json PATH
//   snapshot --routes N --instances N --repeats N --json PATH
using MeshPortal.Bench.Common;
using MeshPortal.Bench.ControlPlane;

if (args.Length == 0 || args[0] is not ("converge" or "snapshot"))
{
    Console.Error.WriteLine("usage: converge --portal URL --api-key KEY --pg CONNECTION --changes N --simulated N --portal-pid PID --json PATH\n" +
        "       snapshot --routes N --instances N --repeats N --json PATH");
    return 2;
}

var options = new ConfigurationBuilder().AddCommandLine(args[1..]).Build();
string Required(string name) => options[name] ?? throw new ArgumentException($"--{name} is required");
int Number(string name) => int.Parse(Required(name), System.Globalization.CultureInfo.InvariantCulture);

using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
if (args[0] == "converge")
{
    using var api = new PortalApi(Required("portal"), Required("api-key"));
    var result = await new ConvergenceBench(api, Required("pg"), Number("changes"), Number("simulated"), Number("portal-pid")).RunAsync(stop.Token);
    await BenchJson.WriteAsync(Required("json"), result);
}
else
{
    var result = await new SnapshotBench(Number("routes"), Number("instances"), Number("repeats")).RunAsync(stop.Token);
    await BenchJson.WriteAsync(Required("json"), result);
}

return 0;

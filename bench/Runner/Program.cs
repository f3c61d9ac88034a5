// Runs every benchmark and prints one table; a full run also writes bench/RESULTS.md.
// bench/run starts PostgreSQL and passes: --root REPO --pg SERVER_CONNECTION --work TEMP_DIR [--smoke] [--extra FIGURES_FILE]
using System.Diagnostics;
using System.Runtime.InteropServices;
using MeshPortal.Bench.Runner;
using MeshPortal.Bench.Runner.Report;

string Option(string name) =>
    args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault() ?? throw new ArgumentException($"--{name} is required");

var settings = new Settings
{
    Root = Option("root"),
    PostgresServer = Option("pg"),
    WorkDirectory = Option("work"),
    Smoke = args.Contains("--smoke"),
    ControlPlaneOnly = args.Contains("--control-plane"),
    MemoryOnly = args.Contains("--memory"),
    HopOnly = args.Contains("--hop"),
    PortalOnly = args.Contains("--portal"),
    DataPlaneOnly = args.Contains("--data-plane"),
    FreshnessOnly = args.Contains("--freshness"),
    ExtraFiguresFile = args.SkipWhile(a => a != "--extra").Skip(1).FirstOrDefault(),
};

// Ctrl-C or a TERM from bench/run: cancel, so every started process is stopped on the way out.
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

var clock = Stopwatch.StartNew();
if (settings.ControlPlaneOnly)
{
    var figures = await BenchRun.ControlPlaneAsync(settings, stop.Token);
    Console.WriteLine();
    foreach (var line in ResultsTable.ControlPlaneLines(figures))
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (settings.DataPlaneOnly)
{
    var dataPlane = await BenchRun.DataPlaneOnlyAsync(settings, stop.Token);
    Console.WriteLine();
    foreach (var line in ResultsTable.DataPlaneLines(dataPlane, settings))
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (settings.FreshnessOnly)
{
    var seconds = await BenchRun.FreshnessOnlyAsync(settings, stop.Token);
    Console.WriteLine();
    Console.WriteLine(ResultsTable.FreshnessLine(seconds));
    return 0;
}

if (settings.MemoryOnly)
{
    var memory = await BenchRun.MemoryAsync(settings, stop.Token);
    Console.WriteLine();
    foreach (var line in ResultsTable.MemoryLines(memory, settings))
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (settings.HopOnly)
{
    var lines = await new MeshPortal.Bench.Runner.Hop.HopBench(settings).RunAsync(stop.Token);
    Console.WriteLine();
    foreach (var line in lines)
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (settings.PortalOnly)
{
    var portal = await BenchRun.PortalAsync(settings, stop.Token);
    Console.WriteLine();
    Console.Write(ResultsTable.PortalTable(portal));
    Console.WriteLine();
    foreach (var line in PortalReport.Lines(portal))
    {
        Console.WriteLine(line);
    }

    return 0;
}

var results = await BenchRun.RunAsync(settings, stop.Token);

// The hop on a stack of its own: two gateways with inbound ports, nothing else loaded.
results = results with { HopLines = await new MeshPortal.Bench.Runner.Hop.HopBench(settings).RunAsync(stop.Token) };

// The portal's writes and reads at scale, on a portal of its own: the run above left its portal loaded.
results = results with { Portal = await BenchRun.PortalAsync(settings, stop.Token) };
Console.WriteLine();
Console.Write(ResultsTable.Table(results, settings));
if (!settings.Smoke)
{
    var path = Path.Combine(settings.Root, "bench", "RESULTS.md");
    await ResultsFile.WriteAsync(path, results, settings, clock.Elapsed);
    Console.WriteLine($"\nwritten to {path} ({clock.Elapsed.TotalMinutes:0.0} min)");
}

Console.WriteLine();
foreach (var line in ResultsTable.ClosingLines(results, settings))
{
    Console.WriteLine(line);
}

return 0;

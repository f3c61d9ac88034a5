using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Launcher;

/// <summary>`./mesh up` as a user runs it, in a state folder of its own and on free ports.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MeshUpTests
{
    [Fact]
    public async Task MeshUp_GatewayPortBusy_FailsNamingGatewayAndPortAndLeavesNothingRunning()
    {
        var state = Directory.CreateTempSubdirectory("meshportal-up-");
        File.SetUnixFileMode(state.FullName, (UnixFileMode)0b111_101_101);
        using var squatter = TryListen(15002);

        var (exitCode, output) = await RunMeshAsync(state.FullName, "up", "-d");

        try
        {
            Assert.NotEqual(0, exitCode);
            Assert.Matches("port 1500[1-3], needed by gateway-n[1-3], is already in use", output);
            Assert.Contains("stopping what was started", output);
            foreach (var pidFile in Directory.GetFiles(Path.Combine(state.FullName, "pids")))
            {
                Assert.False(IsRunning(int.Parse(File.ReadAllText(pidFile).Trim())), $"{Path.GetFileName(pidFile)} still runs:\n{output}");
            }
        }
        finally
        {
            await RunMeshAsync(state.FullName, "down");
            state.Delete(recursive: true);
        }
    }

    private static TcpListener? TryListen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            return !Process.GetProcessById(pid).HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunMeshAsync(string state, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Paths.Root, "mesh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["MESH_STATE"] = state,
                ["MESH_NO_BUILD"] = "1",
                ["MESH_PORTAL_PORT"] = Ports.Free().ToString(),
                ["MESH_PG_PORT"] = Ports.Free().ToString(),
            },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

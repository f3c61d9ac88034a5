using System.Text;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Hop;

/// <summary>What crosses between nodes is encrypted: a capture of the inbound ports during the demo's load holds TLS records and no HTTP in clear.</summary>
[Collection(MeshCollection.Name)]
public sealed class CaptureTests(MeshFixture mesh)
{
    [SkippableFact]
    public async Task DemoLoad_CaptureOfInboundPorts_TlsRecordsAndNoPlaintextHttp()
    {
        var file = Path.Combine(Path.GetTempPath(), $"meshportal-hop-{Guid.NewGuid():N}.pcap");
        var ports = mesh.Gateways.Select(g => new Uri(g.InboundUrl).Port).ToList();
        var filter = string.Join(" or ", ports.Select(p => $"tcp port {p}"));
        var n1 = mesh.Gateways.Single(g => g.Node == "n1");
        var hopsBefore = await HopCounters.ReadAsync(n1, "out", "n3") + await HopCounters.ReadAsync(n1, "out", "n2");
        try
        {
            // -U writes each packet as it comes, so the file is whole when tcpdump is stopped.
            await using (var capture = await StartCaptureAsync(file, filter))
            {
                await using var load = DemoShop.StartLoad(mesh, rps: 30, seconds: 5);
                Assert.Equal(0, await load.ExitCodeAsync(TimeSpan.FromSeconds(60)));
                await Task.Delay(500);
            }

            var hops = await HopCounters.ReadAsync(n1, "out", "n3") + await HopCounters.ReadAsync(n1, "out", "n2") - hopsBefore;
            // 150 shop requests, each through n1 to catalog on n2 or n3; a machine under load may send fewer.
            Assert.True(hops >= 20, $"only {hops} hops left n1 during the load");

            var bytes = await File.ReadAllBytesAsync(file);
            var text = Encoding.Latin1.GetString(bytes);
            foreach (var clear in new[] { "HTTP/1.1", "HTTP/2.0", "GET / ", "Host:", "host:", "x-mesh-hop", "catalog-v2", "stock" })
            {
                Assert.DoesNotContain(clear, text, StringComparison.Ordinal);
            }

            // TLS 1.2/1.3 application data records: content type 23, legacy version 3.3.
            var records = CountOf(bytes, [0x17, 0x03, 0x03]);
            Assert.True(records >= hops, $"{records} TLS application data records for {hops} hops in {bytes.Length} captured bytes");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<TestProcess> StartCaptureAsync(string file, string filter)
    {
        Skip.If(!File.Exists("/usr/bin/tcpdump") && !File.Exists("/usr/sbin/tcpdump"), "tcpdump is not installed (./mesh test installs it with apt)");
        var tcpdump = File.Exists("/usr/bin/tcpdump") ? "/usr/bin/tcpdump" : "/usr/sbin/tcpdump";
        var process = TestProcess.Start("tcpdump", tcpdump, ["-i", "lo", "-U", "-n", "-w", file, filter], Path.GetTempPath());
        var started = DateTime.UtcNow;
        while (!process.Output.Contains("listening on", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow - started > TimeSpan.FromSeconds(15))
            {
                var output = process.Output;
                await process.DisposeAsync();
                Skip.If(true, $"tcpdump cannot capture on lo: {output.Trim()}");
            }

            await Task.Delay(50);
        }

        return process;
    }

    private static int CountOf(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var i = haystack.AsSpan().IndexOf(needle); i >= 0;)
        {
            count++;
            var next = haystack.AsSpan(i + 1).IndexOf(needle);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return count;
    }
}

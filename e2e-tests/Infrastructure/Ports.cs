using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MeshPortal.E2ETests.Infrastructure;

public static class Ports
{
    // The kernel may hand a port out again as soon as the probing listener closes: a gateway once got the
    // same port for its inbound and proxy URLs and refused its configuration. A port is given out once per run.
    private static readonly ConcurrentDictionary<int, byte> Given = new();

    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (Given.TryAdd(port, 0))
            {
                return port;
            }
        }
    }
}

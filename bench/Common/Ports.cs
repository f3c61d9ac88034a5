using System.Net;
using System.Net.Sockets;

namespace MeshPortal.Bench.Common;

/// <summary>Free loopback ports, never one of those `./mesh up` uses on this machine.</summary>
public static class Ports
{
    private static readonly HashSet<int> Reserved = [5000, 55432, .. Enumerable.Range(15001, 3), .. Enumerable.Range(19001, 3), .. Enumerable.Range(7001, 21)];

    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!Reserved.Contains(port))
            {
                return port;
            }
        }
    }

    public static string FreeUrl() => $"http://127.0.0.1:{Free()}";
}

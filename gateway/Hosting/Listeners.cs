using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MeshPortal.Gateway.Hosting;

/// <summary>Binds Kestrel to the proxy and admin URLs.</summary>
internal static class Listeners
{
    public static bool CanListenOn(Uri uri) =>
        uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out _);

    public static void Listen(KestrelServerOptions kestrel, Uri uri)
    {
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, uri.Port);
        }
        else
        {
            kestrel.ListenLocalhost(uri.Port);
        }
    }
}

using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace MeshPortal.Gateway.Hosting;

/// <summary>
/// Runs socket completions and the request pipeline on the socket event threads instead of queueing each
/// read, write and request to the thread pool: a proxied request then crosses no thread on its way
/// through the gateway.
/// </summary>
/// <remarks>
/// Measured with bench/ on two cores (2026-12-03, eleven data-plane rounds beside plain YARP over four runs):
/// requests/s went from 0.92–0.98× plain YARP to 0.92–1.09× (median 1.00), and the added p50 at 1,000
/// req/s from 0.50 to 0.31 ms (unpinned, as before; plain YARP 0.46). It is sound only while nothing on the
/// request path blocks a thread: the gateway's handlers only await, and config applies and telemetry run
/// on the thread pool. An operator's own <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> wins: "0"
/// turns both off.
/// </remarks>
internal static class InlineIo
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Before anything opens a socket: the runtime reads the variable once, at its first socket.</summary>
    public static void EnableUnlessSet()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    public static void Configure(SocketTransportOptions sockets) => sockets.UnsafePreferInlineScheduling = Enabled;
}

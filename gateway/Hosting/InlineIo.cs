namespace MeshPortal.Gateway.Hosting;

/// <summary>
/// Runs socket completions on the socket event threads instead of queueing each read and write to the
/// thread pool: a request to a backend and its answer cross no thread on their way through the gateway.
/// </summary>
/// <remarks>
/// Kept by measurement (bench/, two cores, 2026-12-03, `bench/run --data-plane` beside plain YARP): with it
/// the gateway made 1.02–1.05× plain YARP's requests/s at saturation in five runs, at plain YARP's CPU
/// per request; without it 0.91–0.95× in five, with about 10 % more CPU per request. The price is at
/// the fixed 1,000 req/s on one shared core: an added p99 of 0.72–1.06 ms (median 0.96) against
/// 0.58–0.97 ms (median 0.63). Kestrel's inline request scheduling (<c>UnsafePreferInlineScheduling</c>) was
/// measured beside it and not kept (0.99–1.01×, a higher p50). Inline completions are sound only while no socket
/// continuation blocks a thread: the proxy only awaits, and pushed configs are applied on the thread
/// pool (<see cref="Fleet.ConfigInbox"/>). An operator's own
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> wins: "0" turns it off.
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
}

namespace MeshPortal.Gateway.Hosting;

/// <summary>
/// Runs socket completions on the socket event threads instead of queueing each read and write to the
/// thread pool: a request to a backend and its answer cross no thread on their way through the gateway.
/// </summary>
/// <remarks>
/// Measured with bench/ on two cores (2026-12-03, paired data-plane rounds beside plain YARP): the
/// gateway's requests/s went from 0.93–0.98× plain YARP's to 1.02–1.09× (median 1.05). Kestrel's own
/// inline scheduling of the request pipeline (<c>UnsafePreferInlineScheduling</c>) was measured beside it
/// and not kept: 0.99–1.02×, and a higher p50 at 1,000 req/s. Inline completions are sound only while
/// no socket continuation blocks a thread: the proxy only awaits, and pushed configs are applied on the
/// thread pool (<see cref="Fleet.ConfigInbox"/>). An operator's own
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

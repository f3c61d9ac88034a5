using System.Globalization;
using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Hop;

/// <summary>A gateway's <c>mesh_gateway_hop_requests_total</c>, read from its admin port's /metrics.</summary>
public static partial class HopCounters
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Hops <paramref name="direction"/> ("out" or "in") between <paramref name="gateway"/> and <paramref name="peer"/> so far.</summary>
    public static async Task<long> ReadAsync(GatewayNode gateway, string direction, string peer)
    {
        var metrics = await Http.GetStringAsync($"{gateway.AdminUrl}/metrics");
        return HopLine().Matches(metrics)
            .Where(m => m.Groups["direction"].Value == direction && m.Groups["peer"].Value == peer)
            .Sum(m => long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("^mesh_gateway_hop_requests_total\\{direction=\"(?<direction>[a-z]+)\",peer_node=\"(?<peer>[^\"]+)\"\\} (?<count>\\d+)$", RegexOptions.Multiline)]
    private static partial Regex HopLine();
}

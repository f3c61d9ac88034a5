using System.Net;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Names the service a request comes from: the caller's address when it belongs to the instances of
/// exactly one service, else the <c>x-mesh-source</c> header, else <c>external</c>.
/// </summary>
internal sealed class CallerDirectory
{
    public const string SourceHeader = "x-mesh-source";
    public const string External = "external";

    /// <summary>Longest header value taken as a source; longer ones are not a service name.</summary>
    private const int MaxSourceLength = 63;

    private readonly Dictionary<IPAddress, string> _byAddress;

    private CallerDirectory(Dictionary<IPAddress, string> byAddress) => _byAddress = byAddress;

    public static CallerDirectory Empty { get; } = new([]);

    /// <summary>
    /// Loopback addresses are left out: every process on the machine shares them, so they say
    /// nothing about which service is calling.
    /// </summary>
    public static CallerDirectory From(MeshConfig config)
    {
        var owners = config.Services
            .SelectMany(s => s.Subsets.SelectMany(x => x.Instances).Select(i => (Service: s.Name, Address: AddressOf(i.Address))))
            .Where(x => x.Address is not null && !IPAddress.IsLoopback(x.Address))
            .GroupBy(x => x.Address!)
            .Where(g => g.Select(x => x.Service).Distinct(StringComparer.Ordinal).Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Service);
        return new CallerDirectory(owners);
    }

    public string Identify(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } remote
            && _byAddress.TryGetValue(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, out var service))
        {
            return service;
        }

        var header = context.Request.Headers[SourceHeader];
        return header.Count == 1 && header[0] is { Length: > 0 and <= MaxSourceLength } source ? source : External;
    }

    private static IPAddress? AddressOf(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null;
}

using System.Net;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Proxy;

/// <summary>A request's caller: the service named, and whether its address proved it (a header only labels).</summary>
internal readonly record struct Caller(string Name, bool Verified)
{
    /// <summary>Who the caller is to an access policy: a service only when its address proved it.</summary>
    public string Principal => Verified ? Name : AccessPolicy.External;
}

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
    /// The machine's shared loopback addresses (127.0.0.1, ::1) are left out: every process on the
    /// machine calls from them, so they say nothing about which service is calling. Another address
    /// of 127.0.0.0/8 that one service's instances alone hold names that service, as a pod's own IP does.
    /// </summary>
    public static CallerDirectory From(MeshConfig config)
    {
        var owners = config.Services
            .SelectMany(s => s.Subsets.SelectMany(x => x.Instances).Select(i => (Service: s.Name, Address: AddressOf(i.Address))))
            .Where(x => x.Address is not null && !IsShared(x.Address))
            .GroupBy(x => x.Address!)
            .Where(g => g.Select(x => x.Service).Distinct(StringComparer.Ordinal).Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Service);
        return new CallerDirectory(owners);
    }

    public Caller Identify(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } remote
            && _byAddress.TryGetValue(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, out var service))
        {
            return new Caller(service, Verified: true);
        }

        var header = context.Request.Headers[SourceHeader];
        return new Caller(header.Count == 1 && header[0] is { Length: > 0 and <= MaxSourceLength } source ? source : External, Verified: false);
    }

    private static bool IsShared(IPAddress address) =>
        address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback);

    private static IPAddress? AddressOf(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null;
}

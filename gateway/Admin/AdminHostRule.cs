using System.Net;

namespace MeshPortal.Gateway.Admin;

/// <summary>
/// Which Host headers the admin port answers. A web page on another site can point its own DNS
/// name at this node's address (DNS rebinding) and then read the admin port as same-origin; such a
/// request carries that name as its Host. An IP literal or <c>localhost</c> cannot be rebound, so
/// those pass (Prometheus and kubelet probes use the pod address), and so do names the operator
/// lists in <c>Gateway:AdminHosts</c>.
/// </summary>
internal sealed class AdminHostRule(IEnumerable<string> allowedHosts)
{
    private readonly HashSet<string> _allowed = new(allowedHosts, StringComparer.OrdinalIgnoreCase) { "localhost" };

    public bool Allows(HostString host)
    {
        var name = host.Host;
        return name.Length > 0 && (_allowed.Contains(name) || IPAddress.TryParse(name.Trim('[', ']'), out _));
    }
}

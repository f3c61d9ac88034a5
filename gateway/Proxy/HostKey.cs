using Microsoft.AspNetCore.Http;

namespace MeshPortal.Gateway.Proxy;

/// <summary>A host name (compared case-insensitively) and its port, null for any port.</summary>
internal readonly record struct HostKey(string Host, int? Port)
{
    public static HostKey None { get; } = new("", -1);

    public static HostKey Parse(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && int.TryParse(host.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? new HostKey(host[..colon], port)
            : new HostKey(host, null);
    }

    /// <summary>The request's host and port (its scheme's when it names none); null without a host.</summary>
    public static HostKey? Of(HttpRequest request) =>
        request.Host is { HasValue: true } host ? new HostKey(host.Host, host.Port ?? (request.IsHttps ? 443 : 80)) : null;

    /// <summary>
    /// The value <paramref name="byKey"/> holds for <paramref name="request"/>'s host: at its port, else at any port,
    /// else <paramref name="none"/>.
    /// </summary>
    public static T Lookup<T>(HttpRequest request, Dictionary<HostKey, T> byKey, T none) =>
        Of(request) is not { } key ? none
            : byKey.TryGetValue(key, out var exact) ? exact
            : byKey.TryGetValue(key with { Port = null }, out var anyPort) ? anyPort
            : none;

    public bool Equals(HostKey other) => Port == other.Port && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Host), Port);
}

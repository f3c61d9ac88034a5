using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace MeshPortal.Samples.Shop;

/// <summary>The role this process plays and how it reaches the mesh, read from the command line.</summary>
public sealed partial record ShopOptions(
    string Role,
    string Subset,
    string Instance,
    Uri Gateway,
    double Rps,
    TimeSpan Duration)
{
    public const string Usage =
        "usage: MeshPortal.Samples.Shop --role frontend|catalog|inventory|load [--subset v1] [--instance ID]\n" +
        "       [--gateway http://127.0.0.1:15001] [--urls http://127.0.0.1:PORT] [--rps 20] [--duration 3600]";

    public static readonly string[] Roles = ["frontend", "catalog", "inventory", "load"];

    /// <summary>
    /// The address calls leave from: the one the shop listens on, when --urls names a concrete IP. On one
    /// machine each workload can have its own loopback address (127.0.1.11, ...), as a pod has its own IP,
    /// so the gateway knows the caller by its address instead of by the header.
    /// </summary>
    public IPAddress? CallFrom { get; init; }

    /// <summary>The service name used as Host when calling through the gateway, and as x-mesh-source.</summary>
    public string ServiceName => Role == "load" ? "loadgen" : Role;

    // Not named TryParse: minimal APIs would take that for a binding method of handler parameters.
    public static bool TryRead(
        IConfiguration config,
        [NotNullWhen(true)] out ShopOptions? options,
        [NotNullWhen(false)] out string? error)
    {
        options = null;
        error = null;
        var role = config["role"]?.Trim().ToLowerInvariant() ?? "";
        var subset = config["subset"]?.Trim() ?? "v1";
        var gatewayText = config["gateway"] ?? "http://127.0.0.1:15001";

        if (!Roles.Contains(role))
        {
            error = $"--role must be one of {string.Join(", ", Roles)} (got '{role}')";
            return false;
        }
        if (!DnsLabel().IsMatch(subset))
        {
            error = $"--subset must be a DNS label such as v1 (got '{subset}')";
            return false;
        }
        if (!Uri.TryCreate(gatewayText, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("http" or "https"))
        {
            error = $"--gateway must be an absolute http(s) URL (got '{gatewayText}')";
            return false;
        }
        if (!TryPositive(config["rps"], 20, 10_000, out var rps))
        {
            error = "--rps must be a number in (0, 10000]";
            return false;
        }
        if (!TryPositive(config["duration"], 3600, 7 * 24 * 3600, out var seconds))
        {
            error = "--duration must be a number of seconds in (0, 604800]";
            return false;
        }

        var instance = config["instance"]?.Trim();
        if (string.IsNullOrEmpty(instance))
        {
            instance = $"{role}-{subset}-{ListeningPort(config["urls"])}";
        }
        options = new ShopOptions(role, subset, instance, gateway, rps, TimeSpan.FromSeconds(seconds)) { CallFrom = ListeningAddress(config["urls"]) };
        return true;
    }

    private static bool TryPositive(string? text, double fallback, double max, out double value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && value > 0 && value <= max;
    }

    /// <summary>The port of the first --urls entry (ASP.NET Core's default 5000 when none is given).</summary>
    private static IPAddress? ListeningAddress(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } first
        && Uri.TryCreate(first, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip)
        && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)
            ? ip
            : null;

    private static string ListeningPort(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return "5000";
        }
        var port = first[(first.LastIndexOf(':') + 1)..].TrimEnd('/');
        return port.All(char.IsAsciiDigit) && port.Length > 0 ? port : "0";
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}

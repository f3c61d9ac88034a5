using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Access;

/// <summary>
/// The access policies of one snapshot, by service; a service without one admits everyone. Each
/// policy's callers are a set built once per snapshot, so a request costs two lookups.
/// </summary>
internal sealed class AccessTable
{
    private readonly Dictionary<string, (AccessPolicy Policy, HashSet<string> Callers)> _byService;

    private AccessTable(Dictionary<string, (AccessPolicy, HashSet<string>)> byService) => _byService = byService;

    public static AccessTable Empty { get; } = new([]);

    public static AccessTable From(MeshConfig config) => new(config.Services
        .Where(s => s.Access is { AllowsEveryone: false })
        .ToDictionary(s => s.Name, s => (s.Access!, s.Access!.Allow.ToHashSet(StringComparer.Ordinal)), StringComparer.Ordinal));

    /// <summary>The policy that refuses <paramref name="principal"/> a call to <paramref name="service"/>, or null when the call is allowed.</summary>
    public AccessPolicy? Refusing(string service, string principal) =>
        _byService.TryGetValue(service, out var entry) && !entry.Callers.Contains(principal) ? entry.Policy : null;
}

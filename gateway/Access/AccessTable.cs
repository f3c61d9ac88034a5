using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.Access;

/// <summary>The access policies of one snapshot, by service; a service without one admits everyone.</summary>
internal sealed class AccessTable
{
    private readonly Dictionary<string, AccessPolicy> _byService;

    private AccessTable(Dictionary<string, AccessPolicy> byService) => _byService = byService;

    public static AccessTable Empty { get; } = new([]);

    public static AccessTable From(MeshConfig config) => new(config.Services
        .Where(s => s.Access is { AllowsEveryone: false })
        .ToDictionary(s => s.Name, s => s.Access!, StringComparer.Ordinal));

    /// <summary>The policy that refuses <paramref name="principal"/> a call to <paramref name="service"/>, or null when the call is allowed.</summary>
    public AccessPolicy? Refusing(string service, string principal) =>
        _byService.TryGetValue(service, out var policy) && !policy.Admits(principal) ? policy : null;
}

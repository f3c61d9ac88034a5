using System.Runtime.CompilerServices;
using MeshPortal.Gateway.Access;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.State;

/// <summary>The snapshot the gateway serves, swapped as a whole.</summary>
internal sealed class AppliedConfig
{
    private volatile AppliedSnapshot? _current;

    public AppliedSnapshot? Current => _current;

    public void Set(AppliedSnapshot applied) => _current = applied;
}

internal sealed record AppliedSnapshot(MeshSnapshot Snapshot, CallerDirectory Callers, AccessTable Access, DateTimeOffset AppliedAt)
{
    private IReadOnlyDictionary<string, ServiceConfig>? _services;

    /// <summary>The services by name, built at the first lookup (the inbound hop's, per request) rather than a search each time.</summary>
    public IReadOnlyDictionary<string, ServiceConfig> Services => _services ??= Snapshot.Config.ServicesByName();

    /// <summary>
    /// The caller directory and access table of <paramref name="served"/> are kept when the services are
    /// the same instances (a change of routes only): both are built from every instance of every service.
    /// </summary>
    public static AppliedSnapshot Of(MeshSnapshot snapshot, DateTimeOffset appliedAt, AppliedSnapshot? served = null) =>
        served is not null && SameServices(served.Snapshot.Config.Services, snapshot.Config.Services)
            ? new(snapshot, served.Callers, served.Access, appliedAt)
            : new(snapshot, CallerDirectory.From(snapshot.Config), AccessTable.From(snapshot.Config), appliedAt);

    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SameServices(IReadOnlyList<ServiceConfig> served, IReadOnlyList<ServiceConfig> next)
    {
        if (served.Count != next.Count)
        {
            return false;
        }

        for (var i = 0; i < next.Count; i++)
        {
            if (!ReferenceEquals(served[i], next[i]))
            {
                return false;
            }
        }

        return true;
    }
}

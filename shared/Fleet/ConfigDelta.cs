using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Fleet;

/// <summary>
/// What changed from <see cref="BaseRevision"/> to <see cref="Revision"/> (like an xDS delta): services
/// and routes added or changed, sent whole, and the names of those removed. A service is the unit of its
/// subsets and instances, so an instance change sends its service. <see cref="Hash"/> is the hash of the
/// whole config at <see cref="Revision"/>: a gateway that applied the delta to the base must get exactly it.
/// </summary>
public sealed record ConfigDelta
{
    public long BaseRevision { get; init; }
    public long Revision { get; init; }
    public required string Hash { get; init; }
    public IReadOnlyList<ServiceConfig> Services { get; init; } = [];
    public IReadOnlyList<string> RemovedServices { get; init; } = [];
    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];
    public IReadOnlyList<string> RemovedRoutes { get; init; } = [];
}

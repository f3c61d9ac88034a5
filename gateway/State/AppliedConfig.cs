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
    public static AppliedSnapshot Of(MeshSnapshot snapshot, DateTimeOffset appliedAt) =>
        new(snapshot, CallerDirectory.From(snapshot.Config), AccessTable.From(snapshot.Config), appliedAt);
}

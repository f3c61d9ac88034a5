using System.Collections.Immutable;
using Marten;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Store;

/// <summary>The folded state at one revision, stored as a Marten document keyed by the revision.</summary>
public sealed class StoredSnapshot
{
    public long Revision { get; set; }
    public MeshConfig Config { get; set; } = MeshConfig.Empty;
    public Dictionary<string, long> StreamVersions { get; set; } = [];
}

/// <summary>
/// The folded state every <see cref="Interval"/> revisions, so start-up and time travel replay at
/// most that many events. Snapshots are a cache: the log alone is the truth.
/// </summary>
public sealed class SnapshotStore(IDocumentStore store)
{
    public const long Interval = 500;

    public async Task SaveAsync(MeshState state, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        // Every replica snapshots the same revisions with the same content: the last write is as good as the first.
        session.Store(new StoredSnapshot
        {
            Revision = state.Revision,
            Config = state.ToConfig(),
            StreamVersions = new Dictionary<string, long>(state.StreamVersions),
        });
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The newest snapshot at or before <paramref name="revision"/>, or the empty state.</summary>
    public async Task<MeshState> LoadAtOrBeforeAsync(long revision, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var stored = await session.Query<StoredSnapshot>()
            .Where(s => s.Revision <= revision)
            .OrderByDescending(s => s.Revision)
            .FirstOrDefaultAsync(ct);
        return stored is null
            ? MeshState.Empty
            : MeshState.Empty with
            {
                Revision = stored.Revision,
                Services = MeshState.Empty.Services.AddRange(stored.Config.Services.Select(s => KeyValuePair.Create(s.Name, s))),
                Routes = MeshState.Empty.Routes.AddRange(stored.Config.Routes.Select(r => KeyValuePair.Create(r.Id, r))),
                StreamVersions = stored.StreamVersions.ToImmutableDictionary(),
            };
    }
}

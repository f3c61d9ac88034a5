using MeshPortal.Portal.Store;

namespace MeshPortal.Portal.Projections;

/// <summary>Time travel: the mesh state at any revision, from the nearest snapshot plus replay.</summary>
public sealed class MeshHistory(EventStore store, SnapshotStore snapshots, MeshStateCache cache)
{
    private const int PageSize = 5000;

    /// <summary>A page of the change log for History and Overview (see <see cref="HistoryQuery"/>).</summary>
    public Task<IReadOnlyList<StoredEvent>> ReadAsync(HistoryQuery query, CancellationToken ct) => store.ReadAsync(query, ct);

    /// <summary>The state at <paramref name="revision"/>, or null when the log has not reached it.</summary>
    public async Task<MeshState?> StateAtAsync(long revision, CancellationToken ct)
    {
        var head = cache.State;
        if (revision == head.Revision)
        {
            return head;
        }

        if (revision > head.Revision || revision < 0)
        {
            return null;
        }

        var state = await snapshots.LoadAtOrBeforeAsync(revision, ct);
        return await ReplayAsync(state, revision, ct);
    }

    /// <summary>Folds the log onto <paramref name="state"/> up to <paramref name="upTo"/> (or the end).</summary>
    public async Task<MeshState> ReplayAsync(MeshState state, long? upTo, CancellationToken ct)
    {
        while (true)
        {
            var page = await store.ReadRevisionsAsync(state.Revision, Math.Min(upTo ?? long.MaxValue, state.Revision + PageSize), ct);
            foreach (var e in page)
            {
                state = state.Apply(e);
            }

            if (page.Count < PageSize)
            {
                return state;
            }
        }
    }
}

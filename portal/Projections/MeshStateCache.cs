using MeshPortal.Portal.Live;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Projections;

/// <summary>
/// The current mesh state of this portal replica, fed by <see cref="EventLogTailer"/>. Readers get
/// an immutable snapshot; writers wait here until their own append has been folded in.
/// </summary>
public sealed class MeshStateCache(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<(long Revision, TaskCompletionSource Done)> _waiters = [];
    private volatile Current _current = new(MeshState.Empty, MeshSnapshot.Create(0, MeshConfig.Empty));

    public sealed record Current(MeshState State, MeshSnapshot Snapshot);

    /// <summary>Pages subscribe here: bursts of revisions coalesce into one re-render.</summary>
    public Subscribers Subscribers { get; } = new(time);

    /// <summary>Raised after every new state, off the writer's thread: handlers must be quick.</summary>
    public event Action<Current>? Changed;

    public MeshState State => _current.State;
    public MeshSnapshot Snapshot => _current.Snapshot;
    public long Revision => _current.State.Revision;

    public void Publish(MeshState state)
    {
        var next = new Current(state, MeshSnapshot.Create(state.Revision, state.ToConfig()));
        List<TaskCompletionSource> released = [];
        lock (_gate)
        {
            _current = next;
            _waiters.RemoveAll(w =>
            {
                if (w.Revision > state.Revision)
                {
                    return false;
                }

                released.Add(w.Done);
                return true;
            });
        }

        released.ForEach(t => t.TrySetResult());
        Changed?.Invoke(next);
        Subscribers.Notify();
    }

    public Task WaitForRevisionAsync(long revision, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_current.State.Revision >= revision)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((revision, done));
            return done.Task.WaitAsync(ct);
        }
    }
}

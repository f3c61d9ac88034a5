using MeshPortal.Gateway.State;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// Where pushed configs wait for the apply loop: SignalR's receive loop only posts here, so it stays
/// free, and the loop takes everything that queued up at once and applies the newest.
/// </summary>
internal sealed class ConfigInbox
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _posted = new(0);
    private List<ConfigMessage> _queued = [];

    public void Post(ConfigMessage message)
    {
        lock (_gate)
        {
            _queued.Add(message);
        }

        _posted.Release();
    }

    /// <summary>Everything posted since the last take, in order; waits while there is nothing.</summary>
    public async Task<IReadOnlyList<ConfigMessage>> TakeAllAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // One release per post: after a take of several, the others' releases find an empty queue.
            await _posted.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (_queued.Count > 0)
                {
                    var taken = _queued;
                    _queued = [];
                    return taken;
                }
            }
        }
    }
}

using System.Collections.Concurrent;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// The live hub connections of this replica and the gateway token each one came with, so that
/// revoking a token ends its connections at once, and so that nothing a revoked connection still
/// sends in the meantime is taken.
/// </summary>
public sealed class FleetConnections
{
    private readonly ConcurrentDictionary<string, FleetConnection> _live = new(StringComparer.Ordinal);

    public void Add(FleetConnection connection) => _live[connection.ConnectionId] = connection;

    public void Remove(string connectionId) => _live.TryRemove(connectionId, out _);

    public FleetConnection? Find(string connectionId) => _live.GetValueOrDefault(connectionId);

    /// <summary>Token ids in use by live connections.</summary>
    public IReadOnlyCollection<string> TokenIds() => [.. _live.Values.Select(c => c.TokenId).Distinct(StringComparer.Ordinal)];

    /// <summary>Ends every live connection of the token; returns how many there were.</summary>
    public int Revoke(string tokenId)
    {
        var ended = 0;
        foreach (var connection in _live.Values.Where(c => c.TokenId == tokenId))
        {
            connection.Revoke();
            ended++;
        }

        return ended;
    }

    /// <summary>Closes every live connection (this replica is stopping); returns how many there were.</summary>
    public int EndAll()
    {
        var ended = 0;
        foreach (var connection in _live.Values)
        {
            connection.End();
            ended++;
        }

        return ended;
    }
}

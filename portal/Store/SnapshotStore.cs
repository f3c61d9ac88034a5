using System.Collections.Immutable;
using System.Text.Json;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace MeshPortal.Portal.Store;

/// <summary>
/// The folded state every <see cref="Interval"/> revisions, so start-up and time travel replay at
/// most that many events. Snapshots are a cache: the log alone is the truth.
/// </summary>
public sealed class SnapshotStore(NpgsqlDataSource dataSource)
{
    public const long Interval = 500;

    private sealed record Stored(MeshConfig Config, Dictionary<string, long> StreamVersions);

    public async Task SaveAsync(MeshState state, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new Stored(state.ToConfig(), new Dictionary<string, long>(state.StreamVersions)), MeshJson.Options);
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO mesh_snapshots (revision, state, created_at) VALUES ($1, $2, now()) ON CONFLICT (revision) DO NOTHING");
        cmd.Parameters.AddWithValue(state.Revision);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Jsonb, json);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The newest snapshot at or before <paramref name="revision"/>, or the empty state.</summary>
    public async Task<MeshState> LoadAtOrBeforeAsync(long revision, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT revision, state::text FROM mesh_snapshots WHERE revision <= $1 ORDER BY revision DESC LIMIT 1");
        cmd.Parameters.AddWithValue(revision);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return MeshState.Empty;
        }

        var stored = JsonSerializer.Deserialize<Stored>(reader.GetString(1), MeshJson.Options)!;
        return MeshState.Empty with
        {
            Revision = reader.GetInt64(0),
            Services = MeshState.Empty.Services.AddRange(stored.Config.Services.Select(s => KeyValuePair.Create(s.Name, s))),
            Routes = MeshState.Empty.Routes.AddRange(stored.Config.Routes.Select(r => KeyValuePair.Create(r.Id, r))),
            StreamVersions = stored.StreamVersions.ToImmutableDictionary(),
        };
    }
}

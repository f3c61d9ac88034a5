using MeshPortal.Shared.Config;

namespace MeshPortal.Gateway.State;

/// <summary>
/// Keeps the last applied snapshot on disk, so a gateway restarted while the portal is down serves
/// at once (written whole or not at all, see <see cref="StateFile"/>).
/// </summary>
internal sealed class LastKnownGoodStore(string directory)
{
    public const string FileName = "snapshot.json";

    public string FilePath { get; } = Path.Combine(directory, FileName);

    /// <summary>The stored snapshot, or null when there is none; throws when it cannot be read or parsed.</summary>
    public MeshSnapshot? Load() => StateFile.Read<MeshSnapshot>(FilePath);

    public void Save(MeshSnapshot snapshot) => StateFile.Write(FilePath, snapshot);
}

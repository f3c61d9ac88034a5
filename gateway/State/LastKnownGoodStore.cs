using System.Text.Json;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Gateway.State;

/// <summary>
/// Keeps the last applied snapshot on disk, so a gateway restarted while the portal is down serves
/// at once. Writes go to a temporary file that is then renamed over the old one: a crash mid-write
/// leaves the previous snapshot whole.
/// </summary>
internal sealed class LastKnownGoodStore(string directory)
{
    public const string FileName = "snapshot.json";

    public string FilePath { get; } = Path.Combine(directory, FileName);

    /// <summary>The stored snapshot, or null when there is none; throws when it cannot be read or parsed.</summary>
    public MeshSnapshot? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        using var stream = File.OpenRead(FilePath);
        return JsonSerializer.Deserialize<MeshSnapshot>(stream, MeshJson.Options);
    }

    public void Save(MeshSnapshot snapshot)
    {
        Directory.CreateDirectory(directory);
        var temporary = $"{FilePath}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, snapshot, MeshJson.Options);

                // On disk before the rename, or a power cut could leave the new name on empty content.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

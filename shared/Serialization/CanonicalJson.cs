using System.Security.Cryptography;
using System.Text.Json;
using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Serialization;

/// <summary>
/// Canonical form of a config: normalised order, compact camelCase JSON. Its SHA-256 identifies a
/// config independent of revision, so a rollback yields the hash the mesh had before.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The options of the canonical form, for parts of a config that are compared by their JSON.</summary>
    public static JsonSerializerOptions CompactOptions { get; } = new(MeshJson.Options) { WriteIndented = false };

    public static byte[] Serialize(MeshConfig config) =>
        JsonSerializer.SerializeToUtf8Bytes(config.Normalize(), CompactOptions);

    public static string Hash(MeshConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Serialize(config)));
}

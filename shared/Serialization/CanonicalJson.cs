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
    private static readonly JsonSerializerOptions Compact = new(MeshJson.Options) { WriteIndented = false };

    public static byte[] Serialize(MeshConfig config) =>
        JsonSerializer.SerializeToUtf8Bytes(config.Normalize(), Compact);

    public static string Hash(MeshConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Serialize(config)));
}

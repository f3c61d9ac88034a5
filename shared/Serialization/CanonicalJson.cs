using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using MeshPortal.Shared.Config;

namespace MeshPortal.Shared.Serialization;

/// <summary>The SHA-256 of one service's or route's canonical JSON, and the JSON's length.</summary>
public sealed record ItemDigest(byte[] Sha256, int JsonBytes);

/// <summary>
/// Canonical form of a config: normalised order, compact camelCase JSON. A config's hash identifies it
/// independent of revision, so a rollback yields the hash the mesh had before.
/// </summary>
/// <remarks>
/// The hash is a SHA-256 over the SHA-256s of each service's and route's canonical JSON, in normalised
/// order, so it can be computed from item digests cached per record instance: after a one-route change
/// only that route is serialised again, on the portal and on every gateway alike. Config records are
/// immutable (and their lists never changed once built), which is what makes the cache sound.
/// </remarks>
public static class CanonicalJson
{
    private static readonly ConditionalWeakTable<object, ItemDigest> Digests = [];

    /// <summary>The options of the canonical form, for parts of a config that are compared by their JSON.</summary>
    public static JsonSerializerOptions CompactOptions { get; } = new(MeshJson.Options) { WriteIndented = false };

    public static byte[] Serialize(MeshConfig config) =>
        JsonSerializer.SerializeToUtf8Bytes(config.Normalize(), CompactOptions);

    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Hash(MeshConfig config)
    {
        var normalized = config.Normalize();
        Span<byte> count = stackalloc byte[4];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // The counts keep services and routes apart: every digest has the same length.
        BinaryPrimitives.WriteInt32LittleEndian(count, normalized.Services.Count);
        sha.AppendData(count);
        foreach (var service in normalized.Services)
        {
            sha.AppendData(Digest(service).Sha256);
        }

        BinaryPrimitives.WriteInt32LittleEndian(count, normalized.Routes.Count);
        sha.AppendData(count);
        foreach (var route in normalized.Routes)
        {
            sha.AppendData(Digest(route).Sha256);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The digest of a service as normalised (<see cref="MeshConfig.Normalize"/>), computed once per instance.</summary>
    public static ItemDigest Digest(ServiceConfig service) => Digests.GetValue(service, Compute);

    /// <summary>The digest of a route, computed once per instance.</summary>
    public static ItemDigest Digest(RouteConfig route) => Digests.GetValue(route, Compute);

    private static ItemDigest Compute(object item)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(item, item.GetType(), CompactOptions);
        return new ItemDigest(SHA256.HashData(json), json.Length);
    }
}

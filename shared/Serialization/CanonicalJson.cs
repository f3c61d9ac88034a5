using System.Buffers;
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
    private const int DigestBytes = SHA256.HashSizeInBytes;

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
        var services = normalized.Services;
        var routes = normalized.Routes;

        // One SHA-256 over the concatenation, the same bytes an incremental hash would be fed: one call into
        // the crypto library instead of one per item (at 1,000 routes and services, 2,000 calls per config).
        var length = 8 + ((services.Count + routes.Count) * DigestBytes);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan(0, length);
            var at = 0;

            // The counts keep services and routes apart: every digest has the same length.
            BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], services.Count);
            at += 4;
            foreach (var service in services)
            {
                Digest(service).Sha256.CopyTo(buffer[at..]);
                at += DigestBytes;
            }

            BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], routes.Count);
            at += 4;
            foreach (var route in routes)
            {
                Digest(route).Sha256.CopyTo(buffer[at..]);
                at += DigestBytes;
            }

            Span<byte> hash = stackalloc byte[DigestBytes];
            SHA256.HashData(buffer, hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
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

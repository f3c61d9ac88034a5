using System.Security.Cryptography;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Ids for requests that arrive without one: 32 hex digits like a GUID, made of a random prefix drawn
/// once per process and a counter. Unique across gateways like a GUID, yet without the system call
/// for fresh randomness that <see cref="Guid.NewGuid"/> makes on every request.
/// </summary>
internal static class RequestIds
{
    private static readonly ulong Prefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
    private static long _counter;

    public static string Next() =>
        string.Create(32, (ulong)Interlocked.Increment(ref _counter), static (id, counter) =>
        {
            Prefix.TryFormat(id[..16], out _, "x16");
            counter.TryFormat(id[16..], out _, "x16");
        });
}

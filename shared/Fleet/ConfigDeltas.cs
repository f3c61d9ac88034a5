using System.Runtime.CompilerServices;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Shared.Fleet;

/// <summary>Computes a delta between two snapshots (on the portal) and applies one to a config (on a gateway).</summary>
public static class ConfigDeltas
{
    /// <summary>
    /// The delta from <paramref name="from"/> to <paramref name="to"/>, or null when it would carry at
    /// least as many bytes as the whole snapshot (then the snapshot is the cheaper message).
    /// </summary>
    public static ConfigDelta? Between(ConfigIndex from, ConfigIndex to)
    {
        var services = Changed(from.Services, to.Services, out var serviceBytes);
        var routes = Changed(from.Routes, to.Routes, out var routeBytes);
        if (serviceBytes + routeBytes >= to.Bytes)
        {
            return null;
        }

        return new ConfigDelta
        {
            BaseRevision = from.Snapshot.Revision,
            Revision = to.Snapshot.Revision,
            Hash = to.Snapshot.Hash,
            Services = [.. to.Snapshot.Config.Services.Where(s => services.Contains(s.Name))],
            RemovedServices = [.. from.Services.Keys.Where(name => !to.Services.ContainsKey(name)).Order(StringComparer.Ordinal)],
            Routes = [.. to.Snapshot.Config.Routes.Where(r => routes.Contains(r.Id))],
            RemovedRoutes = [.. from.Routes.Keys.Where(id => !to.Routes.ContainsKey(id)).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// <paramref name="config"/> with <paramref name="delta"/> applied, normalised. It is not validated
    /// and its hash not checked here: the caller checks both on the whole result.
    /// </summary>
    public static MeshConfig Apply(MeshConfig config, ConfigDelta delta)
    {
        var services = Merge(config.Services, s => s.Name, delta.Services, delta.RemovedServices);
        var routes = Merge(config.Routes, r => r.Id, delta.Routes, delta.RemovedRoutes);
        return new MeshConfig { Services = services, Routes = routes }.Normalize();
    }

    /// <summary>
    /// One delta doing what <paramref name="first"/> and then <paramref name="then"/> do, for a gateway that fell
    /// behind: it applies and hashes the whole config once. <paramref name="then"/> must start where <paramref name="first"/> ends.
    /// </summary>
    public static ConfigDelta Compose(ConfigDelta first, ConfigDelta then)
    {
        var (services, removedServices) = Fold(first.Services, first.RemovedServices, then.Services, then.RemovedServices, s => s.Name);
        var (routes, removedRoutes) = Fold(first.Routes, first.RemovedRoutes, then.Routes, then.RemovedRoutes, r => r.Id);
        return new ConfigDelta
        {
            BaseRevision = first.BaseRevision,
            Revision = then.Revision,
            Hash = then.Hash,
            Services = services,
            RemovedServices = removedServices,
            Routes = routes,
            RemovedRoutes = removedRoutes,
        };
    }

    private static (List<T> Upserts, List<string> Removed) Fold<T>(
        IReadOnlyList<T> upserts, IReadOnlyList<string> removed, IReadOnlyList<T> thenUpserts, IReadOnlyList<string> thenRemoved, Func<T, string> key)
    {
        var byKey = upserts.ToDictionary(key, StringComparer.Ordinal);
        var gone = new HashSet<string>(removed, StringComparer.Ordinal);
        foreach (var name in thenRemoved)
        {
            byKey.Remove(name);
            gone.Add(name);
        }

        foreach (var item in thenUpserts)
        {
            byKey[key(item)] = item;
            gone.Remove(key(item));
        }

        return ([.. byKey.Values], [.. gone.Order(StringComparer.Ordinal)]);
    }

    private static HashSet<string> Changed(
        IReadOnlyDictionary<string, ItemDigest> from, IReadOnlyDictionary<string, ItemDigest> to, out long bytes)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        bytes = 0;
        foreach (var (name, digest) in to)
        {
            if (!from.TryGetValue(name, out var old) || (!ReferenceEquals(old, digest) && !old.Sha256.AsSpan().SequenceEqual(digest.Sha256)))
            {
                changed.Add(name);
                bytes += digest.JsonBytes;
            }
        }

        return changed;
    }

    // Once per applied config, over every item: optimised at once, not run as tier-0 code until it is called 30 times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<T> Merge<T>(IReadOnlyList<T> current, Func<T, string> key, IReadOnlyList<T> upserts, IReadOnlyList<string> removed)
    {
        var byKey = new Dictionary<string, T>(current.Count + upserts.Count, StringComparer.Ordinal);
        foreach (var item in current)
        {
            byKey.TryAdd(key(item), item);
        }

        foreach (var name in removed)
        {
            byKey.Remove(name);
        }

        foreach (var item in upserts)
        {
            byKey[key(item)] = item;
        }

        return [.. byKey.Values];
    }
}

using Yarp.ReverseProxy.Model;

namespace MeshPortal.Gateway.Split;

/// <summary>
/// The traffic split of one route at one config revision: which backend each request goes to, and
/// which of the route cluster's destinations belong to that backend.
/// </summary>
/// <remarks>
/// Bound to the route's endpoint, so a request always uses the split of the config it was routed with.
/// </remarks>
internal sealed class RouteSplit
{
    /// <summary>Destination metadata key holding the index of the backend a destination belongs to.</summary>
    public const string BackendMetadataKey = "mesh.backend";

    private readonly SmoothWeightedPicker? _picker;
    private readonly long[] _instanceTurns;
    private volatile DestinationIndex? _index;

    public RouteSplit(string routeId, IReadOnlyList<SplitBackend> backends, bool roundRobinInSubset)
    {
        RouteId = routeId;
        Backends = backends;
        RoundRobinInSubset = roundRobinInSubset;
        _picker = backends.Count > 1 ? new SmoothWeightedPicker([.. backends.Select(b => b.Weight)]) : null;
        _instanceTurns = new long[backends.Count];
    }

    public string RouteId { get; }

    public IReadOnlyList<SplitBackend> Backends { get; }

    /// <summary>
    /// YARP's round-robin counter is per cluster; shared by interleaved backends it would stride
    /// over a subset's instances unevenly (with 50/50 one instance of two would get every request),
    /// so round-robin inside a subset is done here with a counter per backend.
    /// </summary>
    public bool RoundRobinInSubset { get; }

    /// <summary>True when the route has one backend, so YARP can choose among all its destinations.</summary>
    public bool IsSingleBackend => _picker is null;

    public int PickBackend() => _picker?.Next() ?? 0;

    /// <summary>
    /// The destinations of <paramref name="backend"/> among <paramref name="available"/> for YARP's load
    /// balancer, and in <paramref name="group"/> every usable one of them (for retries).
    /// </summary>
    /// <remarks>
    /// When health checks have taken out every instance of the backend, all of its instances are used
    /// (panic mode, as YARP does for a whole cluster): an instance that may answer beats a certain 503.
    /// </remarks>
    public IReadOnlyList<DestinationState> Narrow(
        int backend, IReadOnlyList<DestinationState> available, IReadOnlyList<DestinationState> all, out IReadOnlyList<DestinationState> group)
    {
        var index = _index;
        if (index is null || !ReferenceEquals(index.Source, available) || !ReferenceEquals(index.All, all))
        {
            // YARP replaces the lists when destinations or their health change, so this runs rarely.
            index = new DestinationIndex(available, all, Backends.Count);
            _index = index;
        }

        var destinations = index.Groups[backend];
        group = destinations;
        if (!RoundRobinInSubset || destinations.Length <= 1)
        {
            return destinations;
        }

        var turn = (ulong)Interlocked.Increment(ref _instanceTurns[backend]);
        return index.Singles[backend][(int)(turn % (ulong)destinations.Length)];
    }

    private sealed class DestinationIndex
    {
        public DestinationIndex(IReadOnlyList<DestinationState> source, IReadOnlyList<DestinationState> all, int backends)
        {
            Source = source;
            All = all;
            var available = GroupByBackend(source, backends);
            var every = GroupByBackend(all, backends);
            Groups = [.. available.Select((group, backend) => group.Length > 0 ? group : every[backend])];
            Singles = [.. Groups.Select(g => g.Select(d => new[] { d }).ToArray())];
        }

        public IReadOnlyList<DestinationState> Source { get; }

        public IReadOnlyList<DestinationState> All { get; }

        public DestinationState[][] Groups { get; }

        /// <summary>One single-destination list per destination, so a round-robin pick allocates nothing.</summary>
        public DestinationState[][][] Singles { get; }

        private static DestinationState[][] GroupByBackend(IReadOnlyList<DestinationState> destinations, int backends)
        {
            var groups = Enumerable.Range(0, backends).Select(_ => new List<DestinationState>()).ToArray();
            foreach (var destination in destinations)
            {
                if (destination.Model.Config.Metadata?.GetValueOrDefault(BackendMetadataKey) is { } value
                    && int.TryParse(value, out var backend) && backend >= 0 && backend < backends)
                {
                    groups[backend].Add(destination);
                }
            }

            return [.. groups.Select(g => g.ToArray())];
        }
    }
}

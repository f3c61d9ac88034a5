namespace MeshPortal.Portal.Telemetry;

/// <summary>What the page shows: the whole mesh, a summary grouped by owner, or one service's neighbourhood.</summary>
public enum TopologyMode
{
    Whole,
    Summary,
    Neighbourhood,
}

/// <summary>Whether the name/owner/health filter keeps only the matches or hides them.</summary>
public enum FilterMode
{
    Show,
    Hide,
}

public enum ViewNodeKind
{
    Service,
    External,
    Group,
}

/// <summary>What the user asked to see; everything else about the view follows from this and the graph.</summary>
public sealed record TopologyQuery
{
    /// <summary>Meshes up to this many services are drawn whole; larger ones open on a summary.</summary>
    public const int WholeUpTo = 150;

    public string? Focus { get; init; }
    public int Hops { get; init; } = 1;
    public string Name { get; init; } = "";
    public string Owner { get; init; } = "";
    public Health? Health { get; init; }
    public FilterMode FilterMode { get; init; } = FilterMode.Show;
    public IReadOnlySet<string> Expanded { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How many of the busiest services a summary shows on their own.</summary>
    public int Busiest { get; init; } = 12;

    /// <summary>At most this many failing or degraded services are shown on their own in a summary.</summary>
    public int Failing { get; init; } = 24;

    public bool HasFilter => Name.Length > 0 || Owner.Length > 0 || Health is not null;
}

/// <summary>
/// One drawn node. Scalars only, so two views compare by value and a delta carries only what changed;
/// rates are rounded to two significant digits so steady traffic produces no changes at all.
/// </summary>
public sealed record ViewNode(
    string Id, string Label, ViewNodeKind Kind, string Owner, Health Health, double Rps, double ErrorRate, int Members, string Subsets, bool Focus);

public sealed record ViewEdge(
    string Id, string Source, string Target, string Subset, Health Health, double Rps, double ErrorRate, double P50, double P99,
    double SplitPercent, int Edges, double DeniedRps = 0);

public sealed record TopologyView(TopologyMode Mode, int TotalServices, int TotalEdges, IReadOnlyList<ViewNode> Nodes, IReadOnlyList<ViewEdge> Edges)
{
    public static readonly TopologyView Empty = new(TopologyMode.Whole, 0, 0, [], []);
}

/// <summary>What changed between the view the page has and the next one: the only thing sent each tick.</summary>
public sealed record TopologyDelta(
    TopologyMode Mode, bool Reset, IReadOnlyList<ViewNode> Nodes, IReadOnlyList<string> RemovedNodes, IReadOnlyList<ViewEdge> Edges,
    IReadOnlyList<string> RemovedEdges)
{
    public bool IsEmpty => !Reset && Nodes.Count == 0 && RemovedNodes.Count == 0 && Edges.Count == 0 && RemovedEdges.Count == 0;
}

namespace MeshPortal.Portal.Lists;

/// <summary>One page of a list: what the API and the pages ask for.</summary>
public sealed record ListQuery
{
    public const int MaxLimit = 500;

    /// <summary>Part of the name, any case.</summary>
    public string? Search { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 50;

    /// <summary>Services: owner equals; routes: a backend's owner.</summary>
    public string? Owner { get; init; }

    /// <summary>Services: health over the last minute (idle, healthy, degraded, failing).</summary>
    public string? Health { get; init; }

    /// <summary>Routes: a backend service.</summary>
    public string? Service { get; init; }

    public bool Descending { get; init; }
}

/// <summary>A page of <typeparamref name="T"/> and how many match in all.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit)
{
    /// <summary>The offset of the next page, or null on the last one.</summary>
    public int? Next => Offset + Items.Count < Total ? Offset + Items.Count : null;
}

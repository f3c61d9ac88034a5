namespace MeshPortal.Shared.Fleet;

/// <summary>The body of <see cref="FleetProtocol.EnrollPath"/>: the node whose token the join token is exchanged for.</summary>
public sealed record EnrollRequest
{
    public required string Node { get; init; }
}

/// <summary>The answer of an enrollment: the node's new token (shown once) and the ids of the tokens it replaced.</summary>
public sealed record EnrollResponse
{
    public required string Id { get; init; }
    public required string Node { get; init; }
    public required string Token { get; init; }
    public IReadOnlyList<string> Replaced { get; init; } = [];
}

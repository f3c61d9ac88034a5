using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Api;

public sealed record HistoryEntry(
    long Revision, string Stream, long StreamVersion, string Type, string Summary,
    string Actor, string? Reason, DateTimeOffset Time, string? CorrelationId, string? ClientAddress);

public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Events, long? Next);

public sealed record RevisionConfig(long Revision, string Hash, MeshConfig Config);

public sealed record DiffResponse(long From, long To, IReadOnlyList<DiffEntry> Changes);

public sealed record RollbackRequest
{
    public required long Revision { get; init; }
    public string? Reason { get; init; }

    /// <summary>Required when the rollback removes routes or services carrying traffic, or every route.</summary>
    public bool Confirm { get; init; }
}

public static class HistoryApi
{
    private const int MaxPage = 500;

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(Policies.Read);
        read.MapGet("/history", HistoryAsync);
        read.MapGet("/revisions/{revision:long}", async (long revision, MeshHistory history, CancellationToken ct) =>
            await history.StateAtAsync(revision, ct) is { } state
                ? Results.Ok(Describe(state))
                : Problems.NotFound($"revision {revision} does not exist"));
        read.MapGet("/diff", DiffAsync);
        app.MapPost("/api/rollback", RollbackAsync).RequireAuthorization(Policies.ChangeRouting);
        return app;
    }

    public static RevisionConfig Describe(MeshState state)
    {
        var snapshot = MeshSnapshot.Create(state.Revision, state.ToConfig());
        return new RevisionConfig(snapshot.Revision, snapshot.Hash, snapshot.Config);
    }

    public static HistoryEntry ToEntry(StoredEvent e) => new(
        e.Position, e.StreamId, e.StreamVersion, e.EventType, EventSummary.Describe(e.Event),
        e.Metadata.Actor, e.Metadata.Reason, e.CreatedAt, e.Metadata.CorrelationId, e.Metadata.ClientAddress);

    /// <summary>Newest first, paged by <c>before</c>; or oldest first from <c>after</c>.</summary>
    private static async Task<IResult> HistoryAsync(
        EventStore store, long? after, long? before, int? limit, string? stream, string? actor, CancellationToken ct)
    {
        if (limit is < 1 or > MaxPage)
        {
            return Problems.Field("limit", $"must be between 1 and {MaxPage}, got {limit}");
        }

        var query = new HistoryQuery { After = after, Before = before, Stream = stream, Actor = actor, Limit = limit ?? 50 };
        var events = await store.ReadAsync(query, ct);
        long? next = events.Count < query.Limit ? null : events[^1].Sequence;
        return Results.Ok(new HistoryPage([.. events.Select(ToEntry)], next));
    }

    private static async Task<IResult> DiffAsync(long? from, long? to, MeshHistory history, MeshStateCache cache, CancellationToken ct)
    {
        if (from is null)
        {
            return Problems.Field("from", "is required (a revision)");
        }

        var target = to ?? cache.Revision;
        var before = await history.StateAtAsync(from.Value, ct);
        var after = await history.StateAtAsync(target, ct);
        if (before is null || after is null)
        {
            return Problems.Field(before is null ? "from" : "to", $"revision {(before is null ? from : target)} does not exist (head is {cache.Revision})");
        }

        return Results.Ok(new DiffResponse(from.Value, target, ConfigDiff.Compute(before.ToConfig(), after.ToConfig())));
    }

    private static async Task<IResult> RollbackAsync(HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<RollbackRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var reason = $"rollback to revision {request!.Revision}" + (string.IsNullOrWhiteSpace(request.Reason) ? "" : $": {request.Reason.Trim()}");
        return (await commands.RollbackAsync(request.Revision, http.Command(reason, request.Confirm), ct)).ToHttp();
    }
}

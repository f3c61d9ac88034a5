using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Commands;

public sealed partial class MeshCommands
{
    /// <summary>What a command decided at one head: an answer without appending, or a batch and the state it leads to.</summary>
    private sealed record Decision(CommandResult? Result, IReadOnlyList<StreamAppend> Batch, MeshState? Next)
    {
        public static Decision Done(CommandResult result) => new(result, [], null);

        public static Decision Append(IReadOnlyList<StreamAppend> batch, MeshState next) => new(null, batch, next);
    }

    /// <summary>
    /// Errors of the changed object come first, keyed by the fields of the request; the candidate mesh is
    /// then validated too, so no appended event can give a gateway a bad snapshot. A valid change that
    /// leaves the config as it is appends nothing.
    /// </summary>
    /// <remarks>
    /// A route write is checked in proportion to what it touches: the one route against the services and
    /// the match index (<see cref="MeshValidator.ValidateRoute"/>), and "unchanged" is the one route's
    /// canonical digest, not the hash of the whole mesh. Other changes validate the whole candidate mesh.
    /// </remarks>
    private static Decision Single(MeshState state, string streamId, long? expectedVersion, MeshEvent change, ErrorCollector local)
    {
        var next = state.Apply(change);
        // A caller naming a stale version still learns of the conflict, even when the content matches.
        var current = expectedVersion is null || expectedVersion == state.StreamVersion(streamId);
        if (!local.HasErrors && current && Unchanged(state, next, change))
        {
            return Decision.Done(new CommandResult.Applied(state.Revision, HashOf(state), Unchanged: true));
        }

        if (local.HasErrors)
        {
            return Decision.Done(new CommandResult.Invalid(local.Errors));
        }

        var meshErrors = change switch
        {
            RouteDefined or RouteSplitChanged when next.Routes.TryGetValue(RouteIdOf(change), out var route) =>
                MeshValidator.ValidateRoute(route, next.Services, state.RouteByMatchKey),
            // Taking a route away cannot make the rest of a valid mesh invalid.
            RouteRemoved => [],
            _ => MeshValidator.Validate(next.ToConfig()),
        };
        return meshErrors.Count > 0
            ? Decision.Done(new CommandResult.Invalid(meshErrors))
            : Decision.Append([new StreamAppend(streamId, expectedVersion ?? state.StreamVersion(streamId), [change])], next);
    }

    /// <summary>Whether <paramref name="change"/> left the config as it was: for a route, the digest of that one route.</summary>
    private static bool Unchanged(MeshState state, MeshState next, MeshEvent change) => change switch
    {
        RouteDefined or RouteSplitChanged or RouteRemoved => SameRoute(state.Routes.GetValueOrDefault(RouteIdOf(change)), next.Routes.GetValueOrDefault(RouteIdOf(change))),
        _ => HashOf(next) == HashOf(state),
    };

    private static string RouteIdOf(MeshEvent change) => change switch
    {
        RouteDefined d => d.Route.Id,
        RouteSplitChanged s => s.RouteId,
        RouteRemoved r => r.RouteId,
        _ => throw new ArgumentException($"{change.GetType().Name} is not a route event", nameof(change)),
    };

    private static bool SameRoute(RouteConfig? before, RouteConfig? after) =>
        ReferenceEquals(before, after)
        || (before is not null && after is not null && CanonicalJson.Digest(before).Sha256.AsSpan().SequenceEqual(CanonicalJson.Digest(after).Sha256));

    /// <summary>
    /// Decides at the head, appends on exactly that head, and when other streams moved it first,
    /// decides again at the new head. The stream versions of the first decision stay expected, so
    /// a change to the caller's own streams in between is a conflict, never silently overwritten.
    /// </summary>
    private async Task<CommandResult> RunAsync(Func<MeshState, Decision> decide, CommandContext context, CancellationToken ct)
    {
        // Every public command checks first (so 403 comes before 404 or 400).
        if (Refuse(context) is { } forbidden)
        {
            return forbidden;
        }

        await _writer.WaitAsync(ct);
        try
        {
            return await DecideAndAppendAsync(decide, context, ct);
        }
        catch (EventStoreUnavailableException unavailable)
        {
            return Unavailable(unavailable);
        }
        catch (Exception ex) when (EventStoreUnavailableException.IsUnavailable(ex))
        {
            return Unavailable(new EventStoreUnavailableException(false, ex));
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<CommandResult> DecideAndAppendAsync(Func<MeshState, Decision> decide, CommandContext context, CancellationToken ct)
    {
        var state = cache.State;
        Dictionary<string, long>? pinned = null;
        for (var attempt = 1; ; attempt++)
        {
            if (pinned?.FirstOrDefault(p => p.Value != state.StreamVersion(p.Key)) is { Key: not null } moved)
            {
                return new CommandResult.Conflict(await store.ConflictOnAsync(moved.Key, moved.Value, ct));
            }

            var decision = decide(state);
            if (decision.Result is { } result)
            {
                return result;
            }

            pinned ??= decision.Batch.ToDictionary(a => a.StreamId, a => a.ExpectedVersion);
            if (Guard(state, decision.Next!, decision.Batch, context) is { } confirm)
            {
                return confirm;
            }

            IReadOnlyList<AppendResult> appended;
            try
            {
                var batch = decision.Batch.Select(a => pinned.TryGetValue(a.StreamId, out var v) ? a with { ExpectedVersion = v } : a).ToList();
                appended = await store.AppendAsync(batch, context.Metadata, state.Revision, ct);
            }
            catch (MeshHeadMovedException) when (attempt < MaxAttempts)
            {
                state = await history.ReplayAsync(state, null, ct);
                continue;
            }
            catch (EventStreamConflictException conflict)
            {
                return new CommandResult.Conflict(conflict);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ProjectionWait);
            await cache.WaitForRevisionAsync(appended[^1].Position, timeout.Token);
            return new CommandResult.Applied(appended[^1].Position, cache.Snapshot.Hash);
        }
    }

    private CommandResult? Guard(MeshState head, MeshState next, IReadOnlyList<StreamAppend> batch, CommandContext context)
    {
        // Only removals need confirming; a batch without one is not compared route by route with the head.
        if (context.Confirmed || !batch.Any(a => a.Events.Any(e => e is RouteRemoved or ServiceRemoved)))
        {
            return null;
        }

        var removal = RemovalPlan.Between(head, next, telemetry);
        return removal.NeedsConfirmation ? new CommandResult.ConfirmationRequired(removal) : null;
    }

    /// <summary>Routing changes need the operator role (admins have it too), whoever the caller is.</summary>
    private static CommandResult.Forbidden? Refuse(CommandContext context) =>
        context.MayChangeRouting
            ? null
            : new CommandResult.Forbidden($"'{context.Metadata.Actor}' may not change routing: the operator or admin role is required");

    private static string HashOf(MeshState state) => MeshSnapshot.Create(state.Revision, state.ToConfig()).Hash;

    private static CommandResult.Unavailable Unavailable(EventStoreUnavailableException ex) => new(ex.Message, ex.OutcomeUnknown);
}

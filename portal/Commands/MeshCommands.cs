using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Commands;

/// <summary>
/// The one path into the store for pages and API alike: check the actor's role, build the
/// candidate config, validate it with the shared validators, ask for confirmation when it takes
/// away live parts, append with the expected stream version, wait for the projection.
/// </summary>
public sealed class MeshCommands(EventStore store, MeshStateCache cache, MeshHistory history, TelemetryStore telemetry)
{
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromSeconds(10);

    public Task<CommandResult> DefineServiceAsync(ServiceConfig service, long? expectedVersion, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return Task.FromResult<CommandResult>(forbidden);
        }

        var state = cache.State;
        var stream = MeshEvents.ServiceStream(service.Name);
        var local = new ErrorCollector();
        ServiceValidator.Validate(service, local);
        var again = ConfigReplacement.IsRemoved(state, stream, state.Services.ContainsKey(service.Name));
        return AppendAsync(stream, expectedVersion, new ServiceDefined(service) { Again = again }, local, context, ct);
    }

    public Task<CommandResult> RemoveServiceAsync(string name, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return Task.FromResult<CommandResult>(forbidden);
        }

        var state = cache.State;
        if (!state.Services.ContainsKey(name))
        {
            return NotFound($"service '{name}' does not exist");
        }

        var local = new ErrorCollector();
        foreach (var route in state.Routes.Values.Where(r => r.Backends.Any(b => b.Service == name)))
        {
            local.Add("name", $"route '{route.Id}' still sends traffic to '{name}': change or remove it first");
        }

        return AppendAsync(MeshEvents.ServiceStream(name), null, new ServiceRemoved(name), local, context, ct);
    }

    /// <summary>Creates a route; one that was removed earlier is created again on its old stream.</summary>
    public Task<CommandResult> CreateRouteAsync(RouteConfig route, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return Task.FromResult<CommandResult>(forbidden);
        }

        var state = cache.State;
        var stream = MeshEvents.RouteStream(route.Id);
        var local = new ErrorCollector();
        if (state.Routes.ContainsKey(route.Id))
        {
            local.Add("id", $"route '{route.Id}' already exists");
        }

        RouteValidator.Validate(route, state.ToConfig(), local);
        // The expected version is the removed stream's head (0 for a new one), so two replicas
        // creating the same route at once still conflict.
        var change = new RouteDefined(route) { Again = ConfigReplacement.IsRemoved(state, stream, state.Routes.ContainsKey(route.Id)) };
        return AppendAsync(stream, state.StreamVersion(stream), change, local, context, ct);
    }

    public Task<CommandResult> ReplaceRouteAsync(RouteConfig route, long? expectedVersion, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return Task.FromResult<CommandResult>(forbidden);
        }

        var state = cache.State;
        if (!state.Routes.ContainsKey(route.Id))
        {
            return NotFound($"route '{route.Id}' does not exist");
        }

        var local = new ErrorCollector();
        RouteValidator.Validate(route, state.ToConfig(), local);
        return AppendAsync(MeshEvents.RouteStream(route.Id), expectedVersion, new RouteDefined(route), local, context, ct);
    }

    public Task<CommandResult> RemoveRouteAsync(string id, long? expectedVersion, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return Task.FromResult<CommandResult>(forbidden);
        }

        return cache.State.Routes.ContainsKey(id)
            ? AppendAsync(MeshEvents.RouteStream(id), expectedVersion, new RouteRemoved(id), new ErrorCollector(), context, ct)
            : NotFound($"route '{id}' does not exist");
    }

    /// <summary>What removing route <paramref name="id"/> would take away now, for a page to show before it asks.</summary>
    public RemovalPlan PreviewRouteRemoval(string id)
    {
        var state = cache.State;
        return RemovalPlan.Between(state, state.Apply(new RouteRemoved(id)), telemetry);
    }

    public Task<CommandResult> ChangeSplitAsync(string routeId, IReadOnlyList<BackendRef>? backends, long? expectedVersion, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return Task.FromResult<CommandResult>(forbidden);
        }

        var state = cache.State;
        if (!state.Routes.ContainsKey(routeId))
        {
            return NotFound($"route '{routeId}' does not exist");
        }

        var local = new ErrorCollector();
        BackendValidator.Validate(backends, state.ToConfig(), local);
        return AppendAsync(MeshEvents.RouteStream(routeId), expectedVersion, new RouteSplitChanged(routeId, backends ?? []), local, context, ct);
    }

    public Task<CommandResult> ChangePoliciesAsync(string routeId, RoutePolicies policies, long? expectedVersion, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return Task.FromResult<CommandResult>(forbidden);
        }

        if (!cache.State.Routes.TryGetValue(routeId, out var route))
        {
            return NotFound($"route '{routeId}' does not exist");
        }

        var local = new ErrorCollector();
        PolicyValidator.Validate(policies, local);
        return AppendAsync(MeshEvents.RouteStream(routeId), expectedVersion, new RouteDefined(route with { Policies = policies }), local, context, ct);
    }

    /// <summary>Puts the config of an earlier revision back, as new events: history is never rewritten.</summary>
    public async Task<CommandResult> RollbackAsync(long revision, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return forbidden;
        }

        MeshState? target;
        try
        {
            target = await history.StateAtAsync(revision, ct);
        }
        catch (Exception ex) when (EventStoreUnavailableException.IsUnavailable(ex))
        {
            return Unavailable(new EventStoreUnavailableException(false, ex));
        }

        return target is null
            ? new CommandResult.NotFound($"revision {revision} does not exist (head is {cache.Revision})")
            : await ReplaceAllAsync(target.ToConfig(), context, ct);
    }

    /// <summary>Makes the whole config equal to <paramref name="wanted"/> in one atomic batch, or changes nothing.</summary>
    public async Task<CommandResult> ReplaceAllAsync(MeshConfig wanted, CommandContext context, CancellationToken ct)
    {
        if (Refuse(context) is { } forbidden)
        {
            return forbidden;
        }

        var errors = MeshValidator.Validate(wanted);
        if (errors.Count > 0)
        {
            return new CommandResult.Invalid(errors);
        }

        var head = cache.State;
        var plan = ConfigReplacement.Plan(head, wanted);
        if (plan.Count == 0)
        {
            return new CommandResult.Applied(head.Revision, cache.Snapshot.Hash, Unchanged: true);
        }

        var next = plan.SelectMany(p => p.Events).Aggregate(head, (state, e) => state.Apply(e));
        return Guard(head, next, context) ?? await CommitAsync(plan, context, ct);
    }

    /// <summary>
    /// Errors of the changed object come first, keyed by the fields of the request; the whole
    /// candidate mesh is then validated too, so no appended event can give a gateway a bad snapshot.
    /// A valid change that leaves the config as it is appends nothing.
    /// </summary>
    private async Task<CommandResult> AppendAsync(
        string streamId, long? expectedVersion, MeshEvent change, ErrorCollector local, CommandContext context, CancellationToken ct)
    {
        var state = cache.State;
        var next = state.Apply(change);
        // A caller naming a stale version still learns of the conflict, even when the content matches.
        var current = expectedVersion is null || expectedVersion == state.StreamVersion(streamId);
        if (!local.HasErrors && current && HashOf(next) == HashOf(state))
        {
            return new CommandResult.Applied(state.Revision, cache.Snapshot.Hash, Unchanged: true);
        }

        if (local.HasErrors)
        {
            return new CommandResult.Invalid(local.Errors);
        }

        var meshErrors = MeshValidator.Validate(next.ToConfig());
        if (meshErrors.Count > 0)
        {
            return new CommandResult.Invalid(meshErrors);
        }

        return Guard(state, next, context)
            ?? await CommitAsync([new StreamAppend(streamId, expectedVersion ?? state.StreamVersion(streamId), [change])], context, ct);
    }

    private CommandResult? Guard(MeshState head, MeshState next, CommandContext context)
    {
        if (context.Confirmed)
        {
            return null;
        }

        var removal = RemovalPlan.Between(head, next, telemetry);
        return removal.NeedsConfirmation ? new CommandResult.ConfirmationRequired(removal) : null;
    }

    private async Task<CommandResult> CommitAsync(IReadOnlyList<StreamAppend> batch, CommandContext context, CancellationToken ct)
    {
        // Every public command checks first (so 403 comes before 404 or 400); this is the last line.
        if (Refuse(context) is { } forbidden)
        {
            return forbidden;
        }

        IReadOnlyList<AppendResult> appended;
        try
        {
            appended = await store.AppendAsync(batch, context.Metadata, ct);
        }
        catch (EventStreamConflictException conflict)
        {
            return new CommandResult.Conflict(conflict);
        }
        catch (EventStoreUnavailableException unavailable)
        {
            return Unavailable(unavailable);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProjectionWait);
        await cache.WaitForRevisionAsync(appended[^1].Position, timeout.Token);
        return new CommandResult.Applied(appended[^1].Position, cache.Snapshot.Hash);
    }

    /// <summary>Routing changes need the operator role (admins have it too), whoever the caller is.</summary>
    private static CommandResult.Forbidden? Refuse(CommandContext context) =>
        context.MayChangeRouting
            ? null
            : new CommandResult.Forbidden($"'{context.Metadata.Actor}' may not change routing: the operator or admin role is required");

    private static string HashOf(MeshState state) => MeshSnapshot.Create(state.Revision, state.ToConfig()).Hash;

    private static CommandResult.Unavailable Unavailable(EventStoreUnavailableException ex) => new(ex.Message, ex.OutcomeUnknown);

    private static Task<CommandResult> NotFound(string message) =>
        Task.FromResult<CommandResult>(new CommandResult.NotFound(message));
}

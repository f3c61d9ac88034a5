using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Commands;

/// <summary>
/// The one path into the store for pages and API alike: build the candidate config, validate it
/// with the shared validators, append with the expected stream version, wait for the projection.
/// </summary>
public sealed class MeshCommands(EventStore store, MeshStateCache cache, MeshHistory history)
{
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromSeconds(10);

    public Task<CommandResult> DefineServiceAsync(ServiceConfig service, long? expectedVersion, EventMetadata metadata, CancellationToken ct)
    {
        // Registration is idempotent: re-registering what the catalog already holds records nothing.
        var state = cache.State;
        if (state.Services.TryGetValue(service.Name, out var current) && ConfigReplacement.Same(current, service))
        {
            return Task.FromResult<CommandResult>(new CommandResult.Applied(state.Revision, cache.Snapshot.Hash));
        }

        var local = new ErrorCollector();
        ServiceValidator.Validate(service, local);
        return AppendAsync(MeshEvents.ServiceStream(service.Name), expectedVersion, new ServiceDefined(service), local, metadata, ct);
    }

    public Task<CommandResult> RemoveServiceAsync(string name, EventMetadata metadata, CancellationToken ct)
    {
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

        return AppendAsync(MeshEvents.ServiceStream(name), null, new ServiceRemoved(name), local, metadata, ct);
    }

    public Task<CommandResult> CreateRouteAsync(RouteConfig route, EventMetadata metadata, CancellationToken ct)
    {
        var state = cache.State;
        var local = new ErrorCollector();
        if (state.Routes.ContainsKey(route.Id))
        {
            local.Add("id", $"route '{route.Id}' already exists");
        }

        RouteValidator.Validate(route, state.ToConfig(), local);
        return AppendAsync(MeshEvents.RouteStream(route.Id), ExpectedVersion.NoStream, new RouteDefined(route), local, metadata, ct);
    }

    public Task<CommandResult> ReplaceRouteAsync(RouteConfig route, long? expectedVersion, EventMetadata metadata, CancellationToken ct)
    {
        var state = cache.State;
        if (!state.Routes.ContainsKey(route.Id))
        {
            return NotFound($"route '{route.Id}' does not exist");
        }

        var local = new ErrorCollector();
        RouteValidator.Validate(route, state.ToConfig(), local);
        return AppendAsync(MeshEvents.RouteStream(route.Id), expectedVersion, new RouteDefined(route), local, metadata, ct);
    }

    public Task<CommandResult> RemoveRouteAsync(string id, long? expectedVersion, EventMetadata metadata, CancellationToken ct) =>
        cache.State.Routes.ContainsKey(id)
            ? AppendAsync(MeshEvents.RouteStream(id), expectedVersion, new RouteRemoved(id), new ErrorCollector(), metadata, ct)
            : NotFound($"route '{id}' does not exist");

    public Task<CommandResult> ChangeSplitAsync(string routeId, IReadOnlyList<BackendRef>? backends, long? expectedVersion, EventMetadata metadata, CancellationToken ct)
    {
        var state = cache.State;
        if (!state.Routes.ContainsKey(routeId))
        {
            return NotFound($"route '{routeId}' does not exist");
        }

        var local = new ErrorCollector();
        BackendValidator.Validate(backends, state.ToConfig(), local);
        return AppendAsync(MeshEvents.RouteStream(routeId), expectedVersion, new RouteSplitChanged(routeId, backends ?? []), local, metadata, ct);
    }

    public Task<CommandResult> ChangePoliciesAsync(string routeId, RoutePolicies policies, long? expectedVersion, EventMetadata metadata, CancellationToken ct)
    {
        if (!cache.State.Routes.TryGetValue(routeId, out var route))
        {
            return NotFound($"route '{routeId}' does not exist");
        }

        var local = new ErrorCollector();
        PolicyValidator.Validate(policies, local);
        return AppendAsync(MeshEvents.RouteStream(routeId), expectedVersion, new RouteDefined(route with { Policies = policies }), local, metadata, ct);
    }

    /// <summary>Puts the config of an earlier revision back, as new events: history is never rewritten.</summary>
    public async Task<CommandResult> RollbackAsync(long revision, EventMetadata metadata, CancellationToken ct)
    {
        var target = await history.StateAtAsync(revision, ct);
        return target is null
            ? new CommandResult.NotFound($"revision {revision} does not exist (head is {cache.Revision})")
            : await ReplaceAllAsync(target.ToConfig(), metadata, ct);
    }

    /// <summary>Makes the whole config equal to <paramref name="wanted"/> in one atomic batch, or changes nothing.</summary>
    public async Task<CommandResult> ReplaceAllAsync(MeshConfig wanted, EventMetadata metadata, CancellationToken ct)
    {
        var errors = MeshValidator.Validate(wanted);
        if (errors.Count > 0)
        {
            return new CommandResult.Invalid(errors);
        }

        var plan = ConfigReplacement.Plan(cache.State, wanted);
        if (plan.Count == 0)
        {
            return new CommandResult.Applied(cache.Revision, cache.Snapshot.Hash);
        }

        return await CommitAsync(plan, metadata, ct);
    }

    /// <summary>
    /// Errors of the changed object come first, keyed by the fields of the request; the whole
    /// candidate mesh is then validated too, so no appended event can give a gateway a bad snapshot.
    /// </summary>
    private async Task<CommandResult> AppendAsync(
        string streamId, long? expectedVersion, MeshEvent change, ErrorCollector local, EventMetadata metadata, CancellationToken ct)
    {
        if (local.HasErrors)
        {
            return new CommandResult.Invalid(local.Errors);
        }

        var state = cache.State;
        var meshErrors = MeshValidator.Validate(state.Apply(change).ToConfig());
        if (meshErrors.Count > 0)
        {
            return new CommandResult.Invalid(meshErrors);
        }

        return await CommitAsync([new StreamAppend(streamId, expectedVersion ?? state.StreamVersion(streamId), [change])], metadata, ct);
    }

    private async Task<CommandResult> CommitAsync(IReadOnlyList<StreamAppend> batch, EventMetadata metadata, CancellationToken ct)
    {
        IReadOnlyList<AppendResult> appended;
        try
        {
            appended = await store.AppendAsync(batch, metadata, ct);
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

    private static Task<CommandResult> NotFound(string message) =>
        Task.FromResult<CommandResult>(new CommandResult.NotFound(message));
}

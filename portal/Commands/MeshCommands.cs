using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Commands;

/// <summary>
/// The one path into the store for pages and API alike: build the candidate config, validate it
/// with the shared validators, append with the expected stream version, wait for the projection.
/// </summary>
public sealed class MeshCommands(EventStore store, MeshStateCache cache)
{
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromSeconds(10);

    public Task<CommandResult> DefineServiceAsync(ServiceConfig service, long? expectedVersion, EventMetadata metadata, CancellationToken ct)
    {
        var local = new ErrorCollector();
        ServiceValidator.Validate(service, local);
        return AppendAsync(MeshEvents.ServiceStream(service.Name), expectedVersion, new ServiceDefined(service), local, metadata, ct);
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
            return Task.FromResult<CommandResult>(new CommandResult.NotFound($"route '{route.Id}' does not exist"));
        }

        var local = new ErrorCollector();
        RouteValidator.Validate(route, state.ToConfig(), local);
        return AppendAsync(MeshEvents.RouteStream(route.Id), expectedVersion, new RouteDefined(route), local, metadata, ct);
    }

    public Task<CommandResult> ChangeSplitAsync(string routeId, IReadOnlyList<BackendRef>? backends, long? expectedVersion, EventMetadata metadata, CancellationToken ct)
    {
        var state = cache.State;
        if (!state.Routes.ContainsKey(routeId))
        {
            return Task.FromResult<CommandResult>(new CommandResult.NotFound($"route '{routeId}' does not exist"));
        }

        var local = new ErrorCollector();
        BackendValidator.Validate(backends, state.ToConfig(), local);
        return AppendAsync(MeshEvents.RouteStream(routeId), expectedVersion, new RouteSplitChanged(routeId, backends ?? []), local, metadata, ct);
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

        AppendResult appended;
        try
        {
            appended = await store.AppendAsync(streamId, expectedVersion ?? state.StreamVersion(streamId), [change], metadata, ct);
        }
        catch (EventStreamConflictException conflict)
        {
            return new CommandResult.Conflict(conflict);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProjectionWait);
        await cache.WaitForRevisionAsync(appended.Position, timeout.Token);
        return new CommandResult.Applied(appended.Position, cache.Snapshot.Hash);
    }
}

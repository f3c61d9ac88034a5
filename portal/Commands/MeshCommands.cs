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
/// away live parts, append with the expected stream versions on top of the exact mesh head it
/// validated against, wait for the projection. When the head moved through other streams, the
/// change is decided again at the new head; when its own streams moved, the caller gets a conflict.
/// </summary>
public sealed partial class MeshCommands(EventStore store, MeshStateCache cache, MeshHistory history, TelemetryStore telemetry)
{
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromSeconds(10);

    /// <summary>How often a change is decided again because other writers moved the head first.</summary>
    private const int MaxAttempts = 20;

    /// <summary>Writers of this replica take turns, so they race only with other replicas' writers.</summary>
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task<CommandResult> DefineServiceAsync(ServiceConfig service, long? expectedVersion, CommandContext context, CancellationToken ct) =>
        RunAsync(state =>
        {
            var stream = MeshEvents.ServiceStream(service.Name);
            var local = new ErrorCollector();
            ServiceValidator.Validate(service, local);
            var again = ConfigReplacement.IsRemoved(state, stream, state.Services.ContainsKey(service.Name));
            // A registration (a catalog sync re-sending the service) leaves who may call it alone:
            // that changes only through its own endpoint or the whole config.
            if (service.Access is null && state.Services.TryGetValue(service.Name, out var existing))
            {
                service = service with { Access = existing.Access };
            }

            return Single(state, stream, expectedVersion, new ServiceDefined(service) { Again = again }, local);
        }, context, ct);

    public Task<CommandResult> RemoveServiceAsync(string name, CommandContext context, CancellationToken ct) =>
        RunAsync(state =>
        {
            if (!state.Services.ContainsKey(name))
            {
                return Decision.Done(new CommandResult.NotFound($"service '{name}' does not exist"));
            }

            var local = new ErrorCollector();
            foreach (var route in state.Routes.Values.Where(r => r.Backends.Any(b => b.Service == name)))
            {
                local.Add("name", $"route '{route.Id}' still sends traffic to '{name}': change or remove it first");
            }

            return Single(state, MeshEvents.ServiceStream(name), null, new ServiceRemoved(name), local);
        }, context, ct);

    /// <summary>Sets who may call service <paramref name="name"/>; <c>["*"]</c> goes back to the default, everyone.</summary>
    public Task<CommandResult> SetAccessAsync(string name, IReadOnlyList<string> allow, long? expectedVersion, CommandContext context, CancellationToken ct) =>
        RunAsync(state =>
        {
            if (!state.Services.ContainsKey(name))
            {
                return Decision.Done(new CommandResult.NotFound($"service '{name}' does not exist"));
            }

            var local = new ErrorCollector();
            var access = new AccessPolicy { Allow = allow };
            AccessValidator.Validate(access, local);
            var change = new ServiceAccessChanged(name, local.HasErrors ? access : AccessPolicy.For(allow));
            return Single(state, MeshEvents.ServiceStream(name), expectedVersion, change, local);
        }, context, ct);

    /// <summary>Creates a route; one that was removed earlier is created again on its old stream.</summary>
    public Task<CommandResult> CreateRouteAsync(RouteConfig route, CommandContext context, CancellationToken ct) =>
        RunAsync(state =>
        {
            var stream = MeshEvents.RouteStream(route.Id);
            var local = new ErrorCollector();
            if (state.Routes.ContainsKey(route.Id))
            {
                local.Add("id", $"route '{route.Id}' already exists");
            }

            RouteValidator.Validate(route, state.Services, local);
            // The expected version is the removed stream's head (0 for a new one), so two replicas
            // creating the same route at once still conflict.
            var change = new RouteDefined(route) { Again = ConfigReplacement.IsRemoved(state, stream, state.Routes.ContainsKey(route.Id)) };
            return Single(state, stream, state.StreamVersion(stream), change, local);
        }, context, ct);

    public Task<CommandResult> ReplaceRouteAsync(RouteConfig route, long? expectedVersion, CommandContext context, CancellationToken ct) =>
        RunAsync(state =>
        {
            if (!state.Routes.ContainsKey(route.Id))
            {
                return Decision.Done(new CommandResult.NotFound($"route '{route.Id}' does not exist"));
            }

            var local = new ErrorCollector();
            RouteValidator.Validate(route, state.Services, local);
            return Single(state, MeshEvents.RouteStream(route.Id), expectedVersion, new RouteDefined(route), local);
        }, context, ct);

    public Task<CommandResult> RemoveRouteAsync(string id, long? expectedVersion, CommandContext context, CancellationToken ct) =>
        RunAsync(state => state.Routes.ContainsKey(id)
            ? Single(state, MeshEvents.RouteStream(id), expectedVersion, new RouteRemoved(id), new ErrorCollector())
            : Decision.Done(new CommandResult.NotFound($"route '{id}' does not exist")), context, ct);

    /// <summary>What removing route <paramref name="id"/> would take away now, for a page to show before it asks.</summary>
    public RemovalPlan PreviewRouteRemoval(string id)
    {
        var state = cache.State;
        return RemovalPlan.Between(state, state.Apply(new RouteRemoved(id)), telemetry);
    }

    public Task<CommandResult> ChangeSplitAsync(string routeId, IReadOnlyList<BackendRef>? backends, long? expectedVersion, CommandContext context, CancellationToken ct) =>
        RunAsync(state =>
        {
            if (!state.Routes.ContainsKey(routeId))
            {
                return Decision.Done(new CommandResult.NotFound($"route '{routeId}' does not exist"));
            }

            var local = new ErrorCollector();
            BackendValidator.Validate(backends, state.Services, local);
            return Single(state, MeshEvents.RouteStream(routeId), expectedVersion, new RouteSplitChanged(routeId, backends ?? []), local);
        }, context, ct);

    public Task<CommandResult> ChangePoliciesAsync(string routeId, RoutePolicies policies, long? expectedVersion, CommandContext context, CancellationToken ct) =>
        RunAsync(state =>
        {
            if (!state.Routes.TryGetValue(routeId, out var route))
            {
                return Decision.Done(new CommandResult.NotFound($"route '{routeId}' does not exist"));
            }

            var local = new ErrorCollector();
            PolicyValidator.Validate(policies, local);
            return Single(state, MeshEvents.RouteStream(routeId), expectedVersion, new RouteDefined(route with { Policies = policies }), local);
        }, context, ct);

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
    public Task<CommandResult> ReplaceAllAsync(MeshConfig wanted, CommandContext context, CancellationToken ct)
    {
        var errors = MeshValidator.Validate(wanted);
        return RunAsync(state =>
        {
            if (errors.Count > 0)
            {
                return Decision.Done(new CommandResult.Invalid(errors));
            }

            var plan = ConfigReplacement.Plan(state, wanted);
            return plan.Count == 0
                ? Decision.Done(new CommandResult.Applied(state.Revision, HashOf(state), Unchanged: true))
                : Decision.Append(plan, plan.SelectMany(p => p.Events).Aggregate(state, (next, e) => next.Apply(e)));
        }, context, ct);
    }
}

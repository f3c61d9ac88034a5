using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Lists;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Api;

public sealed record RegisterInstanceRequest
{
    public required string Subset { get; init; }
    public required string Id { get; init; }
    public required string Address { get; init; }
    public string Node { get; init; } = "";
}

/// <summary>Who may call a service: service names, <c>["*"]</c> for everyone, <c>[]</c> for nobody.</summary>
public sealed record AccessRequest
{
    public required IReadOnlyList<string> Allow { get; init; }
    public long? ExpectedVersion { get; init; }
    public string? Reason { get; init; }
}

public static class ServicesApi
{
    public static IEndpointRouteBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/services").RequireAuthorization(Policies.Read);
        read.MapGet("", (HttpRequest request, MeshStateCache cache, MeshLists lists) =>
        {
            if (!ListRequest.IsPaged(request))
            {
                return Results.Ok(cache.State.Services.Values);
            }

            var (query, problem) = ListRequest.Parse(request);
            return problem ?? Results.Ok(ListRequest.Answer(lists.Services(query!), r => r.Service));
        });
        read.MapGet("/{name}", (string name, MeshStateCache cache) =>
            cache.State.Services.TryGetValue(name, out var s) ? Results.Ok(s) : Problems.NotFound($"service '{name}' does not exist"));

        var write = app.MapGroup("/api/services").RequireAuthorization(Policies.ChangeRouting);
        write.MapPost("", DefineAsync);
        write.MapPut("/{name}", DefineAsync);
        write.MapDelete("/{name}", async (string name, string? reason, bool? confirm, HttpContext http, MeshCommands commands, CancellationToken ct) =>
            (await commands.RemoveServiceAsync(name, http.Command(reason, confirm == true), ct)).ToHttp());
        write.MapPost("/{name}/instances", RegisterInstanceAsync);
        write.MapDelete("/{name}/instances/{id}", DeregisterInstanceAsync);
        write.MapPut("/{name}/access", SetAccessAsync);
        return app;
    }

    /// <summary>Registers a service, or replaces it whole (like a catalog registration).</summary>
    private static async Task<IResult> DefineAsync(HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (service, problem) = await JsonBody.ReadAsync<ServiceConfig>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (http.Request.RouteValues.TryGetValue("name", out var name) && !Equals(name, service!.Name))
        {
            return Problems.Field("name", $"the body's name '{service.Name}' differs from the URL's '{name}'");
        }

        return (await commands.DefineServiceAsync(service!, null, http.Command(http.Request.Query["reason"]), ct)).ToHttp();
    }

    private static async Task<IResult> SetAccessAsync(string name, HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<AccessRequest>(http.Request);
        return problem
            ?? (await commands.SetAccessAsync(name, request!.Allow, request.ExpectedVersion, http.Command(request.Reason), ct)).ToHttp();
    }

    private static async Task<IResult> RegisterInstanceAsync(string name, HttpContext http, MeshCommands commands, MeshStateCache cache, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<RegisterInstanceRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var state = cache.State;
        if (!state.Services.TryGetValue(name, out var service))
        {
            return Problems.NotFound($"service '{name}' does not exist");
        }

        var instance = new InstanceConfig { Id = request!.Id, Address = request.Address, Node = request.Node };
        var subset = service.FindSubset(request.Subset) ?? new SubsetConfig { Name = request.Subset };
        subset = subset with { Instances = [.. subset.Instances.Where(i => i.Id != instance.Id), instance] };
        var updated = service with { Subsets = [.. service.Subsets.Where(s => s.Name != subset.Name), subset] };
        var reason = http.Request.Query["reason"].FirstOrDefault() ?? $"instance {instance.Id} registered";
        return (await commands.DefineServiceAsync(updated, state.StreamVersion(MeshEvents.ServiceStream(name)), http.Command(reason), ct)).ToHttp();
    }

    private static async Task<IResult> DeregisterInstanceAsync(string name, string id, HttpContext http, MeshCommands commands, MeshStateCache cache, CancellationToken ct)
    {
        var state = cache.State;
        if (!state.Services.TryGetValue(name, out var service) || !service.Subsets.Any(s => s.Instances.Any(i => i.Id == id)))
        {
            return Problems.NotFound($"service '{name}' has no instance '{id}'");
        }

        var updated = service with
        {
            Subsets = [.. service.Subsets.Select(s => s with { Instances = [.. s.Instances.Where(i => i.Id != id)] })],
        };
        var reason = http.Request.Query["reason"].FirstOrDefault() ?? $"instance {id} deregistered";
        return (await commands.DefineServiceAsync(updated, state.StreamVersion(MeshEvents.ServiceStream(name)), http.Command(reason), ct)).ToHttp();
    }
}

using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Lists;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Config;

namespace MeshPortal.Portal.Api;

public sealed record SplitRequest
{
    public required IReadOnlyList<BackendRef> Backends { get; init; }
    public long? ExpectedVersion { get; init; }
    public string? Reason { get; init; }
}

public sealed record PoliciesRequest
{
    public required RoutePolicies Policies { get; init; }
    public long? ExpectedVersion { get; init; }
    public string? Reason { get; init; }
}

public sealed record RouteResponse(RouteConfig Route, long Version);

public static class RoutesApi
{
    public static IEndpointRouteBuilder MapRoutesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/routes").RequireAuthorization(Policies.Read);
        read.MapGet("", (HttpRequest request, MeshStateCache cache, MeshLists lists) =>
        {
            if (!ListRequest.IsPaged(request))
            {
                return Results.Ok(cache.State.Routes.Values.Select(r => Describe(cache.State, r)));
            }

            var (query, problem) = ListRequest.Parse(request);
            var state = cache.State;
            return problem ?? Results.Ok(ListRequest.Answer(lists.Routes(query!), r => Describe(state, r)));
        });
        read.MapGet("/{id}", (string id, MeshStateCache cache) =>
            cache.State.Routes.TryGetValue(id, out var route) ? Results.Ok(Describe(cache.State, route)) : Problems.NotFound($"route '{id}' does not exist"));

        var write = app.MapGroup("/api/routes").RequireAuthorization(Policies.ChangeRouting);
        write.MapPost("", CreateAsync);
        write.MapPut("/{id}", ReplaceAsync);
        write.MapPut("/{id}/split", ChangeSplitAsync);
        write.MapPut("/{id}/policies", ChangePoliciesAsync);
        write.MapDelete("/{id}", async (string id, string? reason, bool? confirm, HttpContext http, MeshCommands commands, CancellationToken ct) =>
            (await commands.RemoveRouteAsync(id, null, http.Command(reason, confirm == true), ct)).ToHttp());
        return app;
    }

    private static RouteResponse Describe(MeshState state, RouteConfig route) =>
        new(route, state.StreamVersion(Store.MeshEvents.RouteStream(route.Id)));

    private static async Task<IResult> CreateAsync(HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (route, problem) = await JsonBody.ReadAsync<RouteConfig>(http.Request);
        return problem ?? (await commands.CreateRouteAsync(route!, http.Command(http.Request.Query["reason"]), ct)).ToHttp(StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReplaceAsync(string id, HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (route, problem) = await JsonBody.ReadAsync<RouteConfig>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (route!.Id != id)
        {
            return Problems.Field("id", $"the body's id '{route.Id}' differs from the URL's '{id}'");
        }

        long? expected = long.TryParse(http.Request.Headers.IfMatch.ToString().Trim('"'), out var v) ? v : null;
        return (await commands.ReplaceRouteAsync(route, expected, http.Command(http.Request.Query["reason"]), ct)).ToHttp();
    }

    private static async Task<IResult> ChangeSplitAsync(string id, HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<SplitRequest>(http.Request);
        return problem
            ?? (await commands.ChangeSplitAsync(id, request!.Backends, request.ExpectedVersion, http.Command(request.Reason), ct)).ToHttp();
    }

    private static async Task<IResult> ChangePoliciesAsync(string id, HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<PoliciesRequest>(http.Request);
        return problem
            ?? (await commands.ChangePoliciesAsync(id, request!.Policies, request.ExpectedVersion, http.Command(request.Reason), ct)).ToHttp();
    }
}

using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Api;

/// <summary>A write's answer: the revision the mesh is at; <c>unchanged</c> when the change equalled the head and nothing was appended.</summary>
public sealed record WriteResponse(long Revision, string Hash, bool Unchanged);

public static class CommandResults
{
    /// <summary>How long a client should wait before retrying while the store is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    public static IResult ToHttp(this CommandResult result, int successStatus = StatusCodes.Status200OK) => result switch
    {
        CommandResult.Applied a => TypedResults.Json(
            new WriteResponse(a.Revision, a.Hash, a.Unchanged), statusCode: a.Unchanged ? StatusCodes.Status200OK : successStatus),
        CommandResult.Invalid i => TypedResults.ValidationProblem(i.Errors.ToProblemErrors(), title: "The change is invalid; nothing was applied"),
        CommandResult.NotFound n => Problems.NotFound(n.Message),
        CommandResult.Forbidden f => TypedResults.Problem(f.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden; nothing was applied"),
        CommandResult.ConfirmationRequired c => ConfirmationProblem(c.Plan),
        CommandResult.Unavailable u => StoreUnavailable(u.Message),
        CommandResult.Conflict c => TypedResults.Problem(
            c.Error.Message,
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict",
            extensions: new Dictionary<string, object?>
            {
                ["stream"] = c.Error.StreamId,
                ["changedBy"] = c.Error.LastActor,
                ["revision"] = c.Error.LastPosition,
                ["currentVersion"] = c.Error.ActualVersion,
            }),
        _ => throw new InvalidOperationException($"unhandled {result.GetType().Name}"),
    };

    /// <summary>503 problem+json with <c>Retry-After</c>: the store is unreachable and nothing changed.</summary>
    public static IResult StoreUnavailable(string message) => new RetryAfterResult(
        TypedResults.Problem(message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Event store unavailable"), RetryAfterSeconds);

    private static IResult ConfirmationProblem(RemovalPlan plan) => TypedResults.Problem(
        $"{plan.Describe()}; nothing was applied. Send the request again with confirm=true to apply it.",
        statusCode: StatusCodes.Status409Conflict,
        title: "Confirmation required",
        extensions: new Dictionary<string, object?>
        {
            ["routes"] = plan.Removals.Where(r => r.Kind == "route").Select(r => new { id = r.Name, requests = r.Requests }).ToList(),
            ["services"] = plan.Removals.Where(r => r.Kind == "service").Select(r => new { name = r.Name, requests = r.Requests }).ToList(),
            ["trafficWindowSeconds"] = (int)RemovalPlan.Window.TotalSeconds,
            ["leavesNoRoutes"] = plan.LeavesNoRoutes,
        });

    /// <summary>Who (the authenticated principal), why and from where: checked by the commands and stored with every event.</summary>
    public static CommandContext Command(this HttpContext http, string? reason, bool confirmed = false) => CommandContext.For(
        http.User,
        reason,
        http.Request.Headers["x-correlation-id"].FirstOrDefault() ?? http.TraceIdentifier,
        http.Connection.RemoteIpAddress?.ToString(),
        confirmed);

    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}

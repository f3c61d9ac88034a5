using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Api;

public sealed record WriteResponse(long Revision, string Hash);

public static class CommandResults
{
    public static IResult ToHttp(this CommandResult result, int successStatus = StatusCodes.Status200OK) => result switch
    {
        CommandResult.Applied a => TypedResults.Json(new WriteResponse(a.Revision, a.Hash), statusCode: successStatus),
        CommandResult.Invalid i => TypedResults.ValidationProblem(i.Errors.ToProblemErrors(), title: "The change is invalid; nothing was applied"),
        CommandResult.NotFound n => Problems.NotFound(n.Message),
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

    /// <summary>Who, why and from where: stored with every event.</summary>
    public static EventMetadata Metadata(this HttpContext http, string? reason) => new()
    {
        Actor = http.User.Identity?.Name ?? "anonymous",
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        CorrelationId = http.Request.Headers["x-correlation-id"].FirstOrDefault() ?? http.TraceIdentifier,
        ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
    };
}

using MeshPortal.Portal.Store;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Commands;

/// <summary>The outcome of a config change: applied at a revision, or refused with nothing appended.</summary>
public abstract record CommandResult
{
    /// <summary>The change is at <paramref name="Revision"/>; <paramref name="Unchanged"/> when it equalled the head, so nothing was appended.</summary>
    public sealed record Applied(long Revision, string Hash, bool Unchanged = false) : CommandResult;

    public sealed record Invalid(IReadOnlyList<ValidationError> Errors) : CommandResult;

    public sealed record NotFound(string Message) : CommandResult;

    public sealed record Conflict(EventStreamConflictException Error) : CommandResult;

    /// <summary>The acting user's role does not allow the change.</summary>
    public sealed record Forbidden(string Message) : CommandResult;

    /// <summary>The change removes what carries traffic, or every route: it needs the caller's explicit confirmation.</summary>
    public sealed record ConfirmationRequired(RemovalPlan Plan) : CommandResult;

    /// <summary>The store could not be reached; <paramref name="OutcomeUnknown"/> when it failed while committing.</summary>
    public sealed record Unavailable(string Message, bool OutcomeUnknown) : CommandResult;
}

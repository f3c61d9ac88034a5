using MeshPortal.Portal.Store;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Commands;

/// <summary>The outcome of a config change: applied at a revision, or refused with nothing appended.</summary>
public abstract record CommandResult
{
    public sealed record Applied(long Revision, string Hash) : CommandResult;

    public sealed record Invalid(IReadOnlyList<ValidationError> Errors) : CommandResult;

    public sealed record NotFound(string Message) : CommandResult;

    public sealed record Conflict(EventStreamConflictException Error) : CommandResult;
}

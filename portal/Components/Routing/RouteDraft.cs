using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Components.Routing;

/// <summary>
/// What the editor's form would make of a route: the candidate, the shared validators' errors keyed
/// by field (the same rules the save and the gateways apply), the diff against the head and the
/// subsets that could still be added.
/// </summary>
public sealed record RouteDraft(RouteConfig Candidate, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<DiffEntry> Preview, IReadOnlyList<string> Addable)
{
    public static RouteDraft Of(MeshState state, RouteConfig current, RouteForm form)
    {
        var candidate = form.ToRoute(current);
        var config = state.ToConfig();
        var errors = new ErrorCollector();
        RouteValidator.Validate(candidate, config, errors);
        var preview = ConfigDiff.Compute(config, state.Apply(new RouteDefined(candidate)).ToConfig());
        var used = form.Split.Select(r => r.Key).ToHashSet();
        var addable = state.Services.Values.SelectMany(s => s.Subsets.Select(x => $"{s.Name}/{x.Name}")).Where(k => !used.Contains(k)).ToList();
        return new RouteDraft(candidate, errors.Errors.ToProblemErrors(), preview, addable);
    }

    /// <summary>The first error at or below <paramref name="field"/>, for the message under that field.</summary>
    public static string? ErrorAt(IReadOnlyDictionary<string, string[]> errors, string field) =>
        errors.Where(e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal) || e.Key.StartsWith(field + "[", StringComparison.Ordinal))
            .SelectMany(e => e.Value).FirstOrDefault();
}

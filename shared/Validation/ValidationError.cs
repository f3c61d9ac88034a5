namespace MeshPortal.Shared.Validation;

/// <summary>One problem with a config, located by a field path such as <c>backends[1].weight</c>.</summary>
public sealed record ValidationError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

public static class ValidationErrorExtensions
{
    /// <summary>The <c>errors</c> member of a problem+json response: messages keyed by field.</summary>
    public static Dictionary<string, string[]> ToProblemErrors(this IEnumerable<ValidationError> errors) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());

    public static string Describe(this IEnumerable<ValidationError> errors) => string.Join("; ", errors);
}

/// <summary>Collects errors under a field-path prefix, so nested validators report full paths.</summary>
public sealed class ErrorCollector(string prefix = "")
{
    private readonly List<ValidationError> _errors = [];

    private ErrorCollector(string prefix, List<ValidationError> sink) : this(prefix) => _errors = sink;

    public IReadOnlyList<ValidationError> Errors => _errors;
    public bool HasErrors => _errors.Count > 0;

    public void Add(string field, string message) =>
        _errors.Add(new ValidationError(Join(prefix, field), message));

    public ErrorCollector Nested(string field) => new(Join(prefix, field), _errors);

    private static string Join(string prefix, string field) =>
        prefix.Length == 0 ? field : field.Length == 0 ? prefix : field.StartsWith('[') ? prefix + field : $"{prefix}.{field}";
}

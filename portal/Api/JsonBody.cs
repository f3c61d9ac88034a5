using System.Text.Json;
using System.Text.Json.Serialization;
using MeshPortal.Shared.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Portal.Api;

/// <summary>
/// Reads a request body strictly (unknown fields, duplicate keys, numbers in strings, control
/// characters and nesting beyond <see cref="MeshJson.MaxDepth"/> refused) and turns malformed JSON
/// into a problem that names the field and the line, instead of the framework's bare 400.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Strict = new(MeshJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        Converters = { new CleanStringConverter() },
    };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Strict, request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.Field("body", "a JSON object is required")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return (null, Problems.Field(field, $"malformed JSON{where}: {JsonErrors.Describe(ex)}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large"));
        }
    }
}

public static class Problems
{
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid");

    public static ProblemHttpResult NotFound(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Api;

/// <summary>
/// Refuses control characters in the URL path, the query string (reasons, history filters), the
/// correlation id and form fields (the login form) before any endpoint runs: they would reach
/// PostgreSQL, which refuses NUL with an exception, or be stored in history. JSON bodies are
/// checked by <see cref="JsonBody"/>.
/// </summary>
public static class RequestTextGuard
{
    private const string CorrelationHeader = "x-correlation-id";

    public static IApplicationBuilder UseRequestTextGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if ((Check(context.Request) ?? await CheckFormAsync(context.Request)) is { } problem)
            {
                await problem.ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    /// <summary>The form is buffered by ASP.NET Core, so the endpoint reads the same fields again.</summary>
    private static async Task<IResult?> CheckFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            return Problems.Field("form", ex.Message);
        }

        foreach (var (name, values) in form)
        {
            if (values.FirstOrDefault(v => !TextRules.IsClean(v, allowTab: true)) is { } value)
            {
                return Problems.Field(name, $"the value {TextRules.Problem(value, allowTab: true)}");
            }
        }

        return null;
    }

    private static IResult? Check(HttpRequest request)
    {
        if (TextRules.Problem(request.Path.Value) is { } inPath)
        {
            return Problems.Field("path", $"the URL path {inPath}");
        }

        foreach (var (name, values) in request.Query)
        {
            if (TextRules.Problem(name) is { } inName)
            {
                return Problems.Field("query", $"a query parameter name {inName}");
            }

            foreach (var value in values)
            {
                if (TextRules.Problem(value, allowTab: true) is { } inValue)
                {
                    return Problems.Field(name, $"the value {inValue}");
                }
            }
        }

        return request.Headers[CorrelationHeader].Any(v => !TextRules.IsClean(v))
            ? Problems.Field(CorrelationHeader, $"the header {TextRules.Problem(request.Headers[CorrelationHeader].ToString())}")
            : null;
    }
}

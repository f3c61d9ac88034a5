using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Api;

/// <summary>
/// Refuses control characters in the URL path, the query string (reasons, history filters) and the
/// correlation id before any endpoint runs: they would reach PostgreSQL, which refuses NUL with an
/// exception, or be stored in history. Bodies are checked by <see cref="JsonBody"/>.
/// </summary>
public static class RequestTextGuard
{
    private const string CorrelationHeader = "x-correlation-id";

    public static IApplicationBuilder UseRequestTextGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (Check(context.Request) is { } problem)
            {
                await problem.ExecuteAsync(context);
                return;
            }

            await next(context);
        });

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

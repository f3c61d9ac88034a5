using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MeshPortal.Portal.Api;

/// <summary>
/// A 200 whose JSON body is written by <paramref name="type"/>'s source-generated serializer straight into the
/// response's pipe, then flushed once. <see cref="TypedResults.Json{T}(T, JsonTypeInfo{T}, string?, int?)"/> streams
/// asynchronously, and the streaming serializer keeps large bodies off the generated fast path; here the body (about
/// 550 KB for the topology at 3,000 edges) is buffered in the server's pooled blocks, not in one large array.
/// </summary>
internal sealed class GeneratedJsonResult<T>(T value, JsonTypeInfo<T> type) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        var body = httpContext.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        await body.FlushAsync(httpContext.RequestAborted);
    }
}

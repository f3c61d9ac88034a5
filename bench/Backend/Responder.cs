namespace MeshPortal.Bench.Backend;

/// <summary>One fixed 1 KB answer, or 500 while failing.</summary>
internal sealed class Responder
{
    public const int BodyBytes = 1024;

    private static readonly byte[] Body = CreateBody();
    private volatile bool _failing;

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is "/_bench/fail" or "/_bench/recover" && HttpMethods.IsPost(context.Request.Method))
        {
            _failing = path == "/_bench/fail";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        var response = context.Response;
        response.StatusCode = _failing ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        response.ContentType = "text/plain";
        response.ContentLength = Body.Length;
        return response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
    }

    private static byte[] CreateBody()
    {
        var body = new byte[BodyBytes];
        Array.Fill(body, (byte)'x');
        body[^1] = (byte)'\n';
        return body;
    }
}

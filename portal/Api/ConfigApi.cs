using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Config;
using MeshPortal.Portal.Projections;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Api;

public static class ConfigApi
{
    private const string YamlType = "application/yaml";

    public static IEndpointRouteBuilder MapConfigApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/config", (MeshStateCache cache) => Results.Text(ConfigYaml.Export(cache.State.ToConfig()), YamlType))
            .RequireAuthorization(Policies.Read);
        app.MapPut("/api/config", ImportAsync).RequireAuthorization(Policies.ChangeRouting);
        return app;
    }

    /// <summary>Replaces the whole config with the YAML body: one validated batch, all or nothing.</summary>
    private static async Task<IResult> ImportAsync(HttpContext http, MeshCommands commands, CancellationToken ct)
    {
        string yaml;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            yaml = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");
        }

        var (config, errors) = ConfigYaml.Import(yaml);
        if (config is null)
        {
            return TypedResults.ValidationProblem(errors.ToProblemErrors(), title: "The YAML is invalid; nothing was applied");
        }

        var reason = http.Request.Query["reason"].FirstOrDefault() ?? "config import";
        var confirmed = bool.TryParse(http.Request.Query["confirm"].FirstOrDefault(), out var confirm) && confirm;
        return (await commands.ReplaceAllAsync(config, http.Command(reason, confirmed), ct)).ToHttp();
    }
}

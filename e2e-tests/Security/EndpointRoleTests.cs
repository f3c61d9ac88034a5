using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Security;

/// <summary>
/// Every endpoint of the API, as the portal itself describes it (its OpenAPI document), called by
/// every kind of caller. An endpoint missing from <see cref="RoleTable"/> fails the test, so a new
/// endpoint cannot ship without someone saying who may call it.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class EndpointRoleTests(MeshFixture mesh)
{
    [Fact]
    public async Task EveryEndpoint_EveryCaller_OnlyItsRolesGetPast()
    {
        var endpoints = await DescribedEndpointsAsync();
        var unlisted = endpoints.Where(e => !RoleTable.Endpoints.ContainsKey(e)).ToList();
        var stale = RoleTable.Endpoints.Keys.Where(e => !endpoints.Contains(e)).ToList();
        Assert.True(unlisted.Count == 0, $"endpoints with no entry in RoleTable (say who may call them): {string.Join(", ", unlisted)}");
        Assert.True(stale.Count == 0, $"RoleTable entries the portal no longer serves: {string.Join(", ", stale)}");

        var callers = await CallersAsync();
        var wrong = new List<string>();
        foreach (var endpoint in endpoints.Order())
        {
            var needed = RoleTable.Endpoints[endpoint];
            foreach (var (caller, client) in callers)
            {
                var status = await CallAsync(client, endpoint);
                // Enrollment authenticates join tokens only: to it every other caller is unknown.
                var allowed = needed == RoleTable.Joiner ? caller == RoleTable.Joiner : RoleTable.Rank(caller) >= RoleTable.Rank(needed);
                var unknown = needed == RoleTable.Joiner || caller is RoleTable.Anonymous or RoleTable.Gateway or RoleTable.Joiner;
                var expected = allowed ? "past authorization" : unknown ? "401" : "403";
                var ok = allowed
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                    : status == (unknown ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
                if (!ok)
                {
                    wrong.Add($"{endpoint} as {caller}: {(int)status}, expected {expected}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private async Task<HashSet<string>> DescribedEndpointsAsync()
    {
        using var document = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync("/openapi/v1.json"));
        var endpoints = new HashSet<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                endpoints.Add($"{method.Name.ToUpperInvariant()} {path.Name}");
            }
        }

        return endpoints;
    }

    private async Task<IReadOnlyList<(string Caller, HttpClient Client)>> CallersAsync()
    {
        var gatewayToken = (await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens", """{"node":"role-table"}""")).GetProperty("token").GetString()!;
        var joinToken = (await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/gateway-tokens/join", "{}")).GetProperty("token").GetString()!;
        return
        [
            (RoleTable.Anonymous, Client(null)),
            (RoleTable.Gateway, Client(gatewayToken)),
            (RoleTable.Joiner, Client(joinToken)),
            (RoleTable.Viewer, Client(await KeyAsync("viewer"))),
            (RoleTable.Operator, Client(await KeyAsync("operator"))),
            (RoleTable.Admin, Client(mesh.ApiKey)),
        ];
    }

    private async Task<string> KeyAsync(string role)
    {
        var user = await Users.CreateAsync(mesh, role);
        return user.Api.Http.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    private HttpClient Client(string? bearer) => new(new HttpClientHandler { AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(mesh.PortalUrl),
        Timeout = TimeSpan.FromSeconds(15),
        DefaultRequestHeaders = { Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer) },
    };

    /// <summary>A request that changes nothing when it gets through: names that do not exist, bodies that do not validate.</summary>
    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string endpoint)
    {
        var (method, template) = (endpoint[..endpoint.IndexOf(' ')], endpoint[(endpoint.IndexOf(' ') + 1)..]);
        var path = string.Join('/', template.Split('/').Select(segment => segment switch
        {
            ['{', .. var name, '}'] when name.Contains("revision", StringComparison.OrdinalIgnoreCase) => "999999999",
            ['{', ..] => "no-such-thing",
            _ => segment,
        }));
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(template == "/api/config" ? "{ not yaml" : "{}", System.Text.Encoding.UTF8,
                template == "/api/config" ? "application/yaml" : "application/json");
        }

        using var response = await client.SendAsync(request);
        // Outside /api a challenge is the browser's redirect to the login page.
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/login?", StringComparison.Ordinal) == true
            ? HttpStatusCode.Unauthorized
            : response.StatusCode;
    }
}

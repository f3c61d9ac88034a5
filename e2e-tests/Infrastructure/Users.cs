namespace MeshPortal.E2ETests.Infrastructure;

public sealed record TestUser(string Name, string Password, MeshApi Api);

/// <summary>Users of each role, created through the admin API, with their own API keys.</summary>
public static class Users
{
    public static async Task<TestUser> CreateAsync(MeshFixture mesh, string role)
    {
        var name = $"{role}-{Guid.NewGuid():N}"[..16];
        var password = $"pw-{Guid.NewGuid():N}";
        await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/users", $$"""{"name":"{{name}}","password":"{{password}}","role":"{{role}}"}""");
        var key = await mesh.Api.SendOkAsync(HttpMethod.Post, $"/api/users/{name}/api-keys", "{}");
        return new TestUser(name, password, new MeshApi(mesh.PortalUrl, key.GetProperty("apiKey").GetString()!));
    }
}

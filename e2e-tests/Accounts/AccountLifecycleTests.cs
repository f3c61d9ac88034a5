using System.Net;
using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Accounts;

[Collection(MeshCollection.Name)]
public sealed class AccountLifecycleTests(MeshFixture mesh)
{
    [Fact]
    public async Task Logout_SavedCookie_401FromApiRevision()
    {
        var user = await Users.CreateAsync(mesh, "viewer");
        using var login = new BrowserLogin(mesh.PortalUrl);
        await login.SignInAsync(user.Name, user.Password);
        var saved = login.Cookies.GetCookieHeader(new Uri(mesh.PortalUrl));
        using (var before = await WithCookieAsync(saved, "/api/revision"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var logout = await login.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/logout") { Headers = { { "Origin", mesh.PortalUrl } } }))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        using var after = await WithCookieAsync(saved, "/api/revision");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task RevokeApiKey_KeyInUse_401WithinOneSecond()
    {
        var user = await Users.CreateAsync(mesh, "operator");
        var keys = await mesh.Api.Http.GetStringAsync($"/api/users/{user.Name}/api-keys");
        var id = JsonDocument.Parse(keys).RootElement[0].GetProperty("id").GetString();
        Assert.DoesNotContain("mpk_", keys);

        using (var revoke = await mesh.Api.Http.DeleteAsync($"/api/users/{user.Name}/api-keys/{id}?reason=leaked"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        var elapsed = await Poll.UntilAsync(async () => (await user.Api.Http.GetAsync("/api/revision")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5), () => "key still accepted");
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed}");
        var revoked = JsonDocument.Parse(await mesh.Api.Http.GetStringAsync($"/api/users/{user.Name}/api-keys")).RootElement[0];
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task RoleChangePasswordDelete_RecordedInHistoryWithoutSecrets()
    {
        var user = await Users.CreateAsync(mesh, "operator");
        using var login = new BrowserLogin(mesh.PortalUrl);
        await login.SignInAsync(user.Name, user.Password);

        await mesh.Api.SendOkAsync(HttpMethod.Put, $"/api/users/{user.Name}/role", """{"role":"viewer","reason":"moved teams"}""");
        using (var write = await user.Api.SendAsync(HttpMethod.Put, "/api/routes/catalog/split",
            """{"backends":[{"service":"catalog","subset":"v1","weight":1}]}"""))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }

        using (var session = await login.Http.GetAsync("/api/revision"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        }

        var newPassword = $"new-{Guid.NewGuid():N}";
        using (var change = await mesh.Api.SendAsync(HttpMethod.Put, $"/api/users/{user.Name}/password", $$"""{"newPassword":"{{newPassword}}"}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        }

        using (var oldPassword = await new BrowserLogin(mesh.PortalUrl).PostAsync(user.Name, user.Password))
        {
            Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        }

        using (var delete = await mesh.Api.Http.DeleteAsync($"/api/users/{user.Name}?reason=left"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Api.Http.GetAsync("/api/revision")).StatusCode);
        var history = await mesh.Api.Http.GetStringAsync($"/api/history?after=0&stream=account-{user.Name}");
        var events = JsonDocument.Parse(history).RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(
            ["user_created", "api_key_created", "user_role_changed", "user_password_changed", "user_deleted"],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal(mesh.AdminUser, e.GetProperty("actor").GetString()));
        Assert.Equal($"user {user.Name} role: operator → viewer", events[2].GetProperty("summary").GetString());
        Assert.Equal("moved teams", events[2].GetProperty("reason").GetString());
        Assert.DoesNotContain(user.Password, history);
        Assert.DoesNotContain(newPassword, history);
        Assert.DoesNotContain("mpk_", history);
    }

    [Fact]
    public async Task Refusals_SelfDeleteLastAdminOthersPassword_ProblemAnswers()
    {
        var viewer = await Users.CreateAsync(mesh, "viewer");

        using var self = await mesh.Api.Http.DeleteAsync($"/api/users/{mesh.AdminUser}");
        using var lastAdmin = await mesh.Api.SendAsync(HttpMethod.Put, $"/api/users/{mesh.AdminUser}/role", """{"role":"viewer"}""");
        using var others = await viewer.Api.SendAsync(HttpMethod.Put, $"/api/users/{mesh.AdminUser}/password", """{"newPassword":"0123456789ab"}""");
        using var ownWithoutOld = await viewer.Api.SendAsync(HttpMethod.Put, $"/api/users/{viewer.Name}/password", """{"newPassword":"0123456789ab"}""");
        using var badRole = await mesh.Api.SendAsync(HttpMethod.Put, $"/api/users/{viewer.Name}/role", """{"role":"root"}""");

        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, lastAdmin.StatusCode);
        Assert.Contains("last admin", await lastAdmin.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, ownWithoutOld.StatusCode);
        Assert.Contains("oldPassword", await ownWithoutOld.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Equal("application/problem+json", badRole.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OwnPassword_WithOldPassword_ChangedAndNewOneSignsIn()
    {
        var viewer = await Users.CreateAsync(mesh, "viewer");
        var newPassword = $"mine-{Guid.NewGuid():N}";

        using var change = await viewer.Api.SendAsync(HttpMethod.Put, $"/api/users/{viewer.Name}/password",
            $$"""{"newPassword":"{{newPassword}}","oldPassword":"{{viewer.Password}}"}""");

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using var login = new BrowserLogin(mesh.PortalUrl);
        await login.SignInAsync(viewer.Name, newPassword);
    }

    [Fact]
    public void PortalLog_FirstAdminCreated_NoPasswordOrApiKeyInIt()
    {
        Assert.Contains("Created the first admin", mesh.Portal.Output);
        Assert.DoesNotContain(mesh.AdminPassword, mesh.Portal.Output);
        Assert.DoesNotContain(mesh.ApiKey, mesh.Portal.Output);
    }

    private async Task<HttpResponseMessage> WithCookieAsync(string cookie, string path)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(mesh.PortalUrl) };
        return await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Cookie", cookie } } });
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>The login form posted as a browser would (antiforgery token and cookie), with hostile field values.</summary>
[Collection(MeshCollection.Name)]
public sealed partial class LoginInputTests(MeshFixture mesh)
{
    [Theory]
    [InlineData("ad\0min", "x", "form")] // ASP.NET Core's form reader refuses NUL without saying where
    [InlineData("ad\u001bmin", "x", "Input.UserName")]
    [InlineData("admin", "pass\u0007word", "Input.Password")]
    public async Task PostLogin_ControlCharacterInField_400Problem(string user, string password, string field)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = new Uri(mesh.PortalUrl) };
        var page = await browser.GetStringAsync("/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;

        using var response = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

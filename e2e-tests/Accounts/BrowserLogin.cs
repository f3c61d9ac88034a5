using System.Net;
using System.Text.RegularExpressions;

namespace MeshPortal.E2ETests.Accounts;

/// <summary>
/// Signs in the way the browser's login form does (GET /login for the antiforgery token, then
/// POST the form), keeping the cookies, so a test can hold and replay a session cookie.
/// </summary>
public sealed partial class BrowserLogin : IDisposable
{
    private readonly HttpClient _http;

    public BrowserLogin(string portalUrl)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(portalUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>How long the last form post took, without the page fetch before it.</summary>
    public TimeSpan LastPostDuration { get; private set; }

    /// <summary>The answer to the form post: 302 when signed in, 200 with the error, 429 when throttled.</summary>
    public async Task<HttpResponseMessage> PostAsync(string user, string password)
    {
        var page = await _http.GetStringAsync("/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await _http.PostAsync("/login", form);
        LastPostDuration = clock.Elapsed;
        return response;
    }

    public async Task SignInAsync(string user, string password)
    {
        using var response = await PostAsync(user, password);
        if (response.StatusCode != HttpStatusCode.Found)
        {
            throw new HttpRequestException($"sign-in as {user} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public void Dispose() => _http.Dispose();
}

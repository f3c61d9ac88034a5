using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MeshPortal.Portal.Auth;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Login
{
    [Inject]
    private SignInService SignIn { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private string? _error;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm]
    private LoginInput? Input { get; set; }

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    protected override void OnInitialized() => Input ??= new();

    private async Task SignInAsync()
    {
        Input ??= new();
        switch (await SignIn.SignInAsync(HttpContext, Input.UserName, Input.Password))
        {
            case SignInResult.Throttled t:
                var seconds = SignInService.Seconds(t.RetryAfter);
                HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                _error = $"Too many failed sign-ins. Try again in {seconds} seconds.";
                return;
            case SignInResult.WrongCredentials:
                _error = "Wrong user name or password.";
                return;
        }

        var target = string.IsNullOrEmpty(ReturnUrl) || !Uri.IsWellFormedUriString(ReturnUrl, UriKind.Relative) || ReturnUrl.StartsWith("//")
            ? "/"
            : "/" + ReturnUrl.TrimStart('/');
        Navigation.NavigateTo(target, forceLoad: true);
    }

    private sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your user name.")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";
    }
}

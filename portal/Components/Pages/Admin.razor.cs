using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Components.Shared;
using MeshPortal.Portal.Store;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Admin
{
    private IReadOnlyList<UserAccount> _users = [];
    private IReadOnlyList<GatewayTokenInfo> _tokens = [];
    private IReadOnlyList<ApiKeyInfo> _keys = [];
    private string? _keysOf;
    private (string Label, string Value)? _secret;
    private string? _newName;
    private string? _newPassword;
    private string _newRole = Roles.Viewer;
    private AccountResult.Invalid? _newError;
    private string? _node;
    private string? _userError;
    private string? _tokenError;

    [Inject]
    private AccountService Accounts { get; set; } = default!;

    [Inject]
    private UiSession Session { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> Auth { get; set; } = default!;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _users = await Accounts.ListUsersAsync(CancellationToken.None);
        _tokens = await Accounts.ListGatewayTokensAsync(CancellationToken.None);
        _keys = _keysOf is null ? [] : await Accounts.ListApiKeysAsync(_keysOf, CancellationToken.None) ?? [];
    }

    private Task<CommandContext> MetadataAsync() => UiMetadata.ForAsync(Auth, Session, null);

    /// <summary>A refusal about one of the new user's fields shows under that field; others above the form.</summary>
    private async Task AddUserAsync()
    {
        var name = _newName;
        var result = await Accounts.CreateUserAsync(_newName, _newPassword, _newRole, await MetadataAsync(), CancellationToken.None);
        _newError = result as AccountResult.Invalid;
        if (_newError is null && Show(result))
        {
            _newName = _newPassword = null;
            Snackbar.Add($"User {name} added.", Severity.Success);
        }

        await LoadAsync();
    }

    private async Task SetRoleAsync(string user, string? role)
    {
        if (Show(await Accounts.SetRoleAsync(user, role, await MetadataAsync(), CancellationToken.None)))
        {
            Snackbar.Add($"{user} is now {role}.", Severity.Success);
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(string user)
    {
        var answer = await ConfirmDialog.AskAsync(Dialogs, $"Delete {user}?",
            $"{user} can no longer sign in and their API keys stop working. The change is recorded in History.", "Confirm delete");
        if (answer is null)
        {
            return;
        }

        if (Show(await Accounts.DeleteUserAsync(user, await MetadataAsync(), CancellationToken.None)))
        {
            Snackbar.Add($"User {user} deleted.", Severity.Success);
            if (_keysOf == user)
            {
                _keysOf = null;
            }
        }

        await LoadAsync();
    }

    private async Task NewKeyAsync(string user)
    {
        var (result, _, key) = await Accounts.CreateApiKeyAsync(user, await MetadataAsync(), CancellationToken.None);
        if (Show(result))
        {
            _secret = ($"API key for {user}", key!);
        }

        await LoadAsync();
    }

    private async Task ToggleKeysAsync(string user)
    {
        _keysOf = _keysOf == user ? null : user;
        await LoadAsync();
    }

    private async Task RevokeKeyAsync(string user, string id)
    {
        if (Show(await Accounts.RevokeApiKeyAsync(user, id, await MetadataAsync(), CancellationToken.None)))
        {
            Snackbar.Add($"Key {id} of {user} revoked.", Severity.Success);
        }

        await LoadAsync();
    }

    /// <summary>Shows a refusal under the users table; true when the change was made.</summary>
    private bool Show(AccountResult result)
    {
        _userError = result switch
        {
            AccountResult.Invalid i => $"{i.Field}: {i.Message}",
            AccountResult.NotFound n => n.Message,
            AccountResult.Refused r => r.Message,
            AccountResult.Forbidden f => f.Message,
            _ => null,
        };
        return _userError is null;
    }

    private async Task MintAsync()
    {
        var (result, info, token) = await Accounts.MintGatewayTokenAsync(_node ?? "", await MetadataAsync(), CancellationToken.None);
        if (info is null || token is null)
        {
            _tokenError = result switch
            {
                AccountResult.Invalid i => i.Message,
                AccountResult.Forbidden f => f.Message,
                _ => "The token was not minted.",
            };
            return;
        }

        _secret = ($"Token for node {info.Node}", token);
        _tokenError = null;
        _node = null;
        await LoadAsync();
    }

    private async Task RevokeTokenAsync(GatewayTokenInfo token)
    {
        var answer = await ConfirmDialog.AskAsync(Dialogs, $"Revoke the token of {token.Node}?",
            $"A gateway on {token.Node} using this token is disconnected and cannot reconnect until it gets a new one.", "Revoke token");
        if (answer is null)
        {
            return;
        }

        await Accounts.RevokeGatewayTokenAsync(token.Id, await MetadataAsync(), CancellationToken.None);
        Snackbar.Add($"Token of {token.Node} revoked.", Severity.Success);
        await LoadAsync();
    }
}

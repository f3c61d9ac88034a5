using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Store;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshPortal.Portal.Components.Pages;

public sealed partial class Admin
{
    private IReadOnlyList<UserAccount> _users = [];
    private IReadOnlyList<GatewayTokenInfo> _tokens = [];
    private IReadOnlyList<ApiKeyInfo> _keys = [];
    private string? _keysOf;
    private string? _confirmDelete;
    private (string Label, string Value)? _secret;
    private string? _newName;
    private string? _newPassword;
    private string _newRole = Roles.Viewer;
    private string? _node;
    private string? _userError;
    private string? _tokenError;

    [Inject]
    private AccountService Accounts { get; set; } = default!;

    [Inject]
    private UiSession Session { get; set; } = default!;

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

    private async Task AddUserAsync()
    {
        var result = await Accounts.CreateUserAsync(_newName, _newPassword, _newRole, await MetadataAsync(), CancellationToken.None);
        if (Show(result))
        {
            _newName = _newPassword = null;
        }

        await LoadAsync();
    }

    private async Task SetRoleAsync(string user, string? role)
    {
        Show(await Accounts.SetRoleAsync(user, role, await MetadataAsync(), CancellationToken.None));
        await LoadAsync();
    }

    private async Task DeleteAsync(string user)
    {
        _confirmDelete = null;
        if (Show(await Accounts.DeleteUserAsync(user, await MetadataAsync(), CancellationToken.None)) && _keysOf == user)
        {
            _keysOf = null;
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
        Show(await Accounts.RevokeApiKeyAsync(user, id, await MetadataAsync(), CancellationToken.None));
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

    private async Task RevokeTokenAsync(string id)
    {
        await Accounts.RevokeGatewayTokenAsync(id, await MetadataAsync(), CancellationToken.None);
        await LoadAsync();
    }
}

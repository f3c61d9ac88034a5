using MeshPortal.Portal.Hosting;
using MeshPortal.Portal.Store;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// On the very first start, creates the admin. The password comes from
/// <c>Portal:AdminPasswordFile</c> or <c>MESH_ADMIN_PASSWORD</c>, else it is generated; a generated
/// password and the first API key go only to the credentials file. No secret is ever logged.
/// </summary>
public sealed partial class AdminBootstrap(
    AccountStore accounts,
    AccountHistory history,
    IOptions<PortalOptions> options,
    IOptions<SecurityOptions> security,
    IConfiguration configuration,
    ILogger<AdminBootstrap> logger)
{
    public const string PasswordVariable = "MESH_ADMIN_PASSWORD";

    public async Task RunAsync(CancellationToken ct)
    {
        if (await accounts.AnyUserAsync(ct))
        {
            return;
        }

        var o = options.Value;
        var (given, source) = await GivenPasswordAsync(ct);
        if (given is null && o.CredentialsFile is null)
        {
            throw new InvalidOperationException(
                $"No user exists yet and nothing says how to create the first admin: set Portal:AdminPasswordFile (a file holding the password), " +
                $"the {PasswordVariable} environment variable, or Portal:CredentialsFile (where a generated password is written).");
        }

        var password = given ?? Secrets.NewToken("")[..20];
        if (given is not null && given.Length < AccountService.MinPasswordLength)
        {
            throw new InvalidOperationException($"The first admin's password from {source} is shorter than {AccountService.MinPasswordLength} characters.");
        }

        if (!await accounts.CreateUserAsync(o.AdminUser, password, Roles.Admin, ct))
        {
            return; // another replica created it first
        }

        var metadata = new EventMetadata { Actor = "system", Reason = "first start" };
        await history.RecordAsync(o.AdminUser, new UserCreated(o.AdminUser, Roles.Admin), metadata, ct);
        if (o.CredentialsFile is { } path)
        {
            var (keyId, key) = await accounts.CreateApiKeyAsync(o.AdminUser, ct);
            await history.RecordAsync(o.AdminUser, new ApiKeyCreated(o.AdminUser, keyId), metadata, ct);
            await WriteCredentialsAsync(path, o, password, key, ct);
            LogAdminCreated(o.AdminUser, source ?? "generated", path);
        }
        else
        {
            LogAdminCreatedNoFile(o.AdminUser, source!);
        }
    }

    private async Task<(string? Password, string? Source)> GivenPasswordAsync(CancellationToken ct)
    {
        if (security.Value.AdminPasswordFile is { } file)
        {
            return ((await File.ReadAllTextAsync(file, ct)).TrimEnd('\r', '\n'), $"Portal:AdminPasswordFile ({file})");
        }

        return configuration[PasswordVariable] is { Length: > 0 } fromEnvironment ? (fromEnvironment, PasswordVariable) : (null, null);
    }

    private static async Task WriteCredentialsAsync(string path, PortalOptions o, string password, string key, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(temp, fileOptions))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync($"PORTAL_URL={o.PublicUrl}\nADMIN_USER={o.AdminUser}\nADMIN_PASSWORD={password}\nAPI_KEY={key}\n".AsMemory(), ct);
        }

        File.Move(temp, path, overwrite: true);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Created the first admin '{User}' (password: {PasswordSource}); its credentials and first API key are in {Path}")]
    private partial void LogAdminCreated(string user, string passwordSource, string path);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Created the first admin '{User}' with the password from {PasswordSource}; sign in to make API keys")]
    private partial void LogAdminCreatedNoFile(string user, string passwordSource);
}

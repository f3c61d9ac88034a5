using MeshPortal.Portal.Hosting;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

/// <summary>On the very first start, creates the admin with a random password and an API key.</summary>
public sealed partial class AdminBootstrap(AccountStore accounts, IOptions<PortalOptions> options, ILogger<AdminBootstrap> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (await accounts.AnyUserAsync(ct))
        {
            return;
        }

        var o = options.Value;
        var password = Secrets.NewToken("")[..20];
        if (!await accounts.CreateUserAsync(o.AdminUser, password, Roles.Admin, ct))
        {
            return; // another replica created it first
        }

        var key = await accounts.CreateApiKeyAsync(o.AdminUser, ct);
        LogAdminCreated(o.AdminUser, o.CredentialsFile ?? "(not written: Portal:CredentialsFile is not set)");
        if (o.CredentialsFile is { } path)
        {
            await WriteCredentialsAsync(path, o, password, key, ct);
        }
        else
        {
            LogCredentials(o.AdminUser, password, key);
        }
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

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Created the first admin '{User}'; credentials: {Path}")]
    private partial void LogAdminCreated(string user, string path);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "First admin '{User}' password: {Password} API key: {ApiKey}")]
    private partial void LogCredentials(string user, string password, string apiKey);
}

using System.Security.Cryptography;

namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>Starts a real portal process: what every test's portal needs, plus what the test adds.</summary>
public static class PortalProcess
{
    public static string NewKeyProtectionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <param name="keyProtectionKey">Replicas of one database share it; null makes a new one.</param>
    public static TestProcess Start(
        string name, string url, string connectionString, string? keyProtectionKey = null, params (string Key, string Value)[] settings)
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ConnectionStrings__Mesh"] = connectionString,
            ["Portal__PublicUrl"] = url,
            ["Portal__DataProtection__Key"] = keyProtectionKey ?? NewKeyProtectionKey(),
        };
        foreach (var (key, value) in settings)
        {
            env[key] = value;
        }

        return TestProcess.StartDotnet(name, Paths.Portal, [], env);
    }
}

using System.Security.Cryptography;
using System.Text;

namespace MeshPortal.Portal.Auth;

/// <summary>Random credentials and the stored form of high-entropy keys (SHA-256; they need no stretching).</summary>
public static class Secrets
{
    public static string NewToken(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

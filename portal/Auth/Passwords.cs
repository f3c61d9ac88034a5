using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Password hashes: ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512 at
/// its current cost). Hashes of the first version ("pbkdf2-sha256$…") still verify and are
/// rehashed on the next successful sign-in.
/// </summary>
public static class Passwords
{
    private const string LegacyPrefix = "pbkdf2-sha256$";
    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>Checked when the user does not exist, so an unknown name costs what a known one does.</summary>
    private static readonly string DummyHash = Hasher.HashPassword("", Secrets.NewToken(""));

    public static string Hash(string password) => Hasher.HashPassword("", password);

    /// <summary>Verifies against <paramref name="storedHash"/>, or against a dummy hash when there is none.</summary>
    public static PasswordVerificationResult Verify(string? storedHash, string password)
    {
        if (storedHash is null)
        {
            Hasher.VerifyHashedPassword("", DummyHash, password);
            return PasswordVerificationResult.Failed;
        }

        if (storedHash.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            return VerifyLegacy(password, storedHash) ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Failed;
        }

        try
        {
            return Hasher.VerifyHashedPassword("", storedHash, password);
        }
        catch (FormatException)
        {
            return PasswordVerificationResult.Failed;
        }
    }

    private static bool VerifyLegacy(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }

        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}

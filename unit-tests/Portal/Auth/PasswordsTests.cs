using System.Security.Cryptography;
using MeshPortal.Portal.Auth;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.UnitTests.Portal.Auth;

public sealed class PasswordsTests
{
    [Fact]
    public void Verify_CurrentHash_Success()
    {
        var hash = Passwords.Hash("correct horse");

        Assert.Equal(PasswordVerificationResult.Success, Passwords.Verify(hash, "correct horse"));
        Assert.Equal(PasswordVerificationResult.Failed, Passwords.Verify(hash, "wrong horse"));
    }

    [Fact]
    public void Verify_FirstVersionHash_SuccessRehashNeeded()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var derived = Rfc2898DeriveBytes.Pbkdf2("old password", salt, 1000, HashAlgorithmName.SHA256, 32);
        var legacy = $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Passwords.Verify(legacy, "old password"));
        Assert.Equal(PasswordVerificationResult.Failed, Passwords.Verify(legacy, "other"));
    }

    [Fact]
    public void Verify_NoUser_Failed()
    {
        Assert.Equal(PasswordVerificationResult.Failed, Passwords.Verify(null, "anything"));
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Auth;

/// <summary>
/// Encrypts the data-protection keys (which sign cookies) before they reach PostgreSQL, with an
/// AES-256-GCM key given to the portal: reading the database alone no longer lets anyone forge a
/// session cookie.
/// </summary>
public static class KeyProtection
{
    /// <summary>
    /// Adds the encryptor when a key is configured. Without one the portal refuses to start in
    /// Production (keys would sit in the database in the clear); elsewhere it runs unprotected.
    /// </summary>
    public static IServiceCollection AddMeshKeyProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection("Portal").Get<SecurityOptions>()?.DataProtection ?? new KeyProtectionOptions();
        var key = ReadKey(options);
        if (key is null)
        {
            return environment.IsProduction()
                ? throw new InvalidOperationException(
                    "No key protects the data-protection keys at rest: set Portal:DataProtection:KeyFile (a file holding 32 random bytes as base64, " +
                    "e.g. `head -c 32 /dev/urandom | base64`) or Portal:DataProtection:Key (env Portal__DataProtection__Key).")
                : services;
        }

        services.AddSingleton(new KeyEncryptionKey(key));
        services.AddOptions<KeyManagementOptions>().Configure<KeyEncryptionKey>((o, k) => o.XmlEncryptor = new AesGcmXmlEncryptor(k));
        return services;
    }

    private static byte[]? ReadKey(KeyProtectionOptions options)
    {
        var text = options.KeyFile is { } file ? File.ReadAllText(file).Trim() : options.Key?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        byte[]? key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            key = null;
        }

        return key is { Length: 32 }
            ? key
            : throw new InvalidOperationException($"The data-protection key ({options.KeyFile ?? "Portal:DataProtection:Key"}) must be 32 bytes as base64, got {(key is null ? "no base64" : $"{key.Length} bytes")}.");
    }
}

/// <summary>The key that encrypts data-protection keys, as a service so the decryptor can find it.</summary>
public sealed class KeyEncryptionKey(byte[] key)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Encrypt(string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    public string Decrypt(string ciphertext)
    {
        var input = Convert.FromBase64String(ciphertext);
        var data = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), data);
        return Encoding.UTF8.GetString(data);
    }
}

public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public const string ElementName = "aesGcmEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement(ElementName, key.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting))), typeof(AesGcmXmlDecryptor));
}

/// <summary>Created by the key manager by type name, with the app's services.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetService<KeyEncryptionKey>()
            ?? throw new InvalidOperationException("A data-protection key in the database is encrypted, but no Portal:DataProtection key is configured.");
        return XElement.Parse(key.Decrypt(encryptedElement.Value));
    }
}

namespace MeshPortal.Portal.Security.Ca;

/// <summary>
/// The generated mesh CA, shared by every replica. Its key is encrypted with the data-protection key
/// (Portal:DataProtection) when one is configured, as the data-protection keys themselves are.
/// </summary>
public sealed record MeshCaDoc
{
    public const string TheId = "mesh-ca";

    public required string Id { get; init; }
    public required string CertificatePem { get; init; }

    /// <summary>PKCS#8 PEM; AES-256-GCM ciphertext (base64) when <see cref="KeyEncrypted"/>.</summary>
    public required string KeyPem { get; init; }

    public required bool KeyEncrypted { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

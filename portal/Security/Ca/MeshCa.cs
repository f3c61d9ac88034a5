using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Marten;
using MeshPortal.Portal.Auth;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Security.Ca;

/// <summary>
/// The mesh's root of trust: the operator's CA from files, or one generated on first start and kept
/// in PostgreSQL. Replicas starting together race to insert theirs; the database keeps exactly one
/// and the losers load the winner's.
/// </summary>
public sealed partial class MeshCa(
    IDocumentStore store, IOptions<MeshCaOptions> options, TimeProvider time, ILogger<MeshCa> logger, KeyEncryptionKey? keyEncryption = null)
{
    private static readonly TimeSpan GeneratedValidity = TimeSpan.FromDays(3650);
    private X509Certificate2? _authority;

    /// <summary>The CA certificate with its private key; set by <see cref="LoadAsync"/> before the portal serves.</summary>
    public X509Certificate2 Authority => _authority ?? throw new InvalidOperationException("The mesh CA is not loaded yet.");

    /// <summary>What gateways trust: the CA certificate as PEM.</summary>
    public string TrustBundlePem { get; private set; } = "";

    public async Task LoadAsync(CancellationToken ct)
    {
        var o = options.Value;
        var authority = o.CertificateFile is { Length: > 0 } certificateFile
            ? FromFiles(certificateFile, o.KeyFile!)
            : await FromDatabaseAsync(ct);
        _authority = authority;
        TrustBundlePem = authority.ExportCertificatePem();
        LogLoaded(authority.Subject, authority.Thumbprint, authority.NotAfter.ToUniversalTime(), o.CertificateFile ?? "the database");
    }

    private static X509Certificate2 FromFiles(string certificateFile, string keyFile)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        return constraints is { CertificateAuthority: true } && certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"Portal:MeshCa:CertificateFile '{certificateFile}' is not a CA certificate (basic constraints CA:true) with its key.");
    }

    private async Task<X509Certificate2> FromDatabaseAsync(CancellationToken ct)
    {
        if (await ReadAsync(ct) is { } existing)
        {
            return existing;
        }

        var generated = Generate();
        try
        {
            await using var session = store.LightweightSession();
            session.Insert(Document(generated));
            await session.SaveChangesAsync(ct);
            LogGenerated(generated.Subject, keyEncryption is not null);
            return generated;
        }
        catch (Exception e) when (AccountDocuments.IsConflict(e))
        {
            // Another replica inserted its CA first: everyone uses that one.
            generated.Dispose();
            return await ReadAsync(ct) ?? throw new InvalidOperationException("The mesh CA vanished from the database while starting.");
        }
    }

    private async Task<X509Certificate2?> ReadAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<MeshCaDoc>(MeshCaDoc.TheId, ct) is not { } doc)
        {
            return null;
        }

        var keyPem = !doc.KeyEncrypted ? doc.KeyPem
            : keyEncryption?.Decrypt(doc.KeyPem)
              ?? throw new InvalidOperationException("The mesh CA key in the database is encrypted, but no Portal:DataProtection key is configured.");
        return X509Certificate2.CreateFromPem(doc.CertificatePem, keyPem);
    }

    private X509Certificate2 Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=MeshPortal mesh CA, O={options.Value.TrustDomain}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + GeneratedValidity);
        // Round-trip through PEM so the key is usable on every platform (an ephemeral key is not exportable on some).
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private MeshCaDoc Document(X509Certificate2 authority)
    {
        using var key = authority.GetECDsaPrivateKey()!;
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        return new MeshCaDoc
        {
            Id = MeshCaDoc.TheId,
            CertificatePem = authority.ExportCertificatePem(),
            KeyPem = keyEncryption?.Encrypt(keyPem) ?? keyPem,
            KeyEncrypted = keyEncryption is not null,
            CreatedAt = time.GetUtcNow(),
        };
    }

    [LoggerMessage(EventId = 1340, Level = LogLevel.Information, Message = "Mesh CA '{Subject}' ({Thumbprint}, valid to {NotAfter:u}) from {Source}")]
    private partial void LogLoaded(string subject, string thumbprint, DateTime notAfter, string source);

    [LoggerMessage(EventId = 1341, Level = LogLevel.Warning, Message = "Generated the mesh CA '{Subject}' and stored it in the database (key encrypted: {Encrypted})")]
    private partial void LogGenerated(string subject, bool encrypted);
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// How the gateway checks the portal's certificate on the fleet hub and the enrollment call. With
/// Gateway:PortalCaFile only the CAs of that PEM bundle are trusted (the machine's roots play no
/// part), without it the system's; the host name is checked either way. The bundle is read again
/// when its content changes (a rotated ConfigMap or Secret), at most once per connect attempt. A
/// refused certificate is logged once per attempt with what is wrong; the caller then retries.
/// </summary>
internal sealed partial class PortalTrust(IOptions<GatewayOptions> options, ILogger<PortalTrust> logger)
{
    private const int MaxBundleBytes = 1024 * 1024;
    private readonly string _caFile = options.Value.PortalCaFile;
    private readonly Lock _gate = new();
    private (byte[] Pem, X509Certificate2Collection Roots)? _bundle;

    /// <summary>What is wrong with the bundle file, or null when it holds at least one certificate.</summary>
    public static string? Problem(string caFile)
    {
        try
        {
            _ = ReadBundle(caFile);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/>: true for a certificate the gateway trusts.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var problem = Check(certificate, chain, errors);
        if (problem is null)
        {
            return true;
        }

        var host = (sender as SslStream)?.TargetHostName ?? "";
        using var presented = certificate is null ? null : new X509Certificate2(certificate);
        LogRefused(host, problem, presented?.Subject ?? "", presented?.Issuer ?? "", presented?.NotAfter.ToUniversalTime() ?? default);
        return false;
    }

    /// <summary>Why the portal's certificate is refused, or null when it is trusted.</summary>
    internal string? Check(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the portal sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "the certificate does not name the host of Gateway:PortalUrl (subject alternative names)";
        }

        if (string.IsNullOrEmpty(_caFile))
        {
            return errors == SslPolicyErrors.None ? null
                : $"the system does not trust it ({Statuses(chain)}); give the portal's CA in Gateway:PortalCaFile";
        }

        X509Certificate2Collection roots;
        try
        {
            roots = Roots();
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // The intermediates the portal sent with its certificate.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf) ? null
            : $"it does not chain to a CA of Gateway:PortalCaFile '{_caFile}' ({Statuses(custom)})";
    }

    private X509Certificate2Collection Roots()
    {
        lock (_gate)
        {
            byte[] pem;
            try
            {
                pem = File.ReadAllBytes(_caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && _bundle is not null)
            {
                return _bundle.Value.Roots;
            }

            if (_bundle is not { } known || !known.Pem.AsSpan().SequenceEqual(pem))
            {
                _bundle = (pem, Parse(_caFile, pem));
            }

            return _bundle.Value.Roots;
        }
    }

    private static X509Certificate2Collection ReadBundle(string caFile)
    {
        try
        {
            return Parse(caFile, File.ReadAllBytes(caFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Gateway:PortalCaFile '{caFile}' cannot be read: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection Parse(string caFile, byte[] pem)
    {
        if (pem.Length > MaxBundleBytes)
        {
            throw new InvalidOperationException($"Gateway:PortalCaFile '{caFile}' is larger than 1 MiB: it should hold the portal's CA certificates as PEM.");
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(System.Text.Encoding.UTF8.GetString(pem));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Gateway:PortalCaFile '{caFile}' holds a certificate that does not decode: {e.Message}", e);
        }

        return roots.Count > 0 ? roots
            : throw new InvalidOperationException($"Gateway:PortalCaFile '{caFile}' holds no certificate (no '-----BEGIN CERTIFICATE-----' block).");
    }

    private static string Statuses(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0 ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct());

    [LoggerMessage(EventId = 2550, Level = LogLevel.Warning,
        Message = "Refused the portal's certificate at {Host}: {Problem} (subject '{Subject}', issuer '{Issuer}', valid to {NotAfter:u}); not connecting, will retry")]
    private partial void LogRefused(string host, string problem, string subject, string issuer, DateTime notAfter);
}

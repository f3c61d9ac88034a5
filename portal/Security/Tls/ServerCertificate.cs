using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Security.Tls;

/// <summary>
/// The portal's HTTPS certificate, read from the files of <see cref="PortalTlsOptions"/> and read
/// again when they change: cert-manager renews the Secret and the kubelet swaps the mounted files
/// through a symlink, so a renewed certificate serves new connections without a restart. A TLS
/// handshake looks at the files at most once per <see cref="PortalTlsOptions.ReloadInterval"/> and
/// compares their content (a symlink swap keeps the link's own time); a pair that does not load, such
/// as one caught half-written, keeps the previous certificate until the next look.
/// </summary>
public sealed partial class ServerCertificate
{
    private readonly PortalTlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ServerCertificate> _logger;
    private readonly long _interval;
    private readonly Lock _gate = new();
    private volatile Loaded _current;
    private long _nextLook;

    public ServerCertificate(IOptions<PortalTlsOptions> options, TimeProvider time, ILogger<ServerCertificate> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _interval = (long)(_options.ReloadInterval.TotalSeconds * time.TimestampFrequency);
        _current = Read(_options.CertificateFile!, _options.KeyFile!, time.GetUtcNow());
        _nextLook = time.GetTimestamp() + _interval;
        LogLoaded(_current.Certificate.Subject, _current.Certificate.Thumbprint, _current.Certificate.NotAfter.ToUniversalTime(), _options.CertificateFile!);
    }

    /// <summary>The certificate to serve now.</summary>
    public X509Certificate2 Certificate => Fresh().Certificate;

    /// <summary>The certificate with the intermediates of its file, as each handshake sends them.</summary>
    public SslStreamCertificateContext Context => Fresh().Context;

    private Loaded Fresh()
    {
        var now = _time.GetTimestamp();
        if (now >= Volatile.Read(ref _nextLook) && _gate.TryEnter())
        {
            try
            {
                Volatile.Write(ref _nextLook, now + _interval);
                LookAgain();
            }
            finally
            {
                _gate.Exit();
            }
        }

        return _current;
    }

    private void LookAgain()
    {
        byte[] certificatePem, keyPem;
        try
        {
            certificatePem = File.ReadAllBytes(_options.CertificateFile!);
            keyPem = File.ReadAllBytes(_options.KeyFile!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReloadFailed(_options.CertificateFile!, e.Message);
            return;
        }

        if (certificatePem.AsSpan().SequenceEqual(_current.CertificatePem) && keyPem.AsSpan().SequenceEqual(_current.KeyPem))
        {
            return;
        }

        try
        {
            // The one in use is not disposed: handshakes under way may still hold it.
            _current = Parse(_options.CertificateFile!, _options.KeyFile!, certificatePem, keyPem, _time.GetUtcNow());
            LogReloaded(_current.Certificate.Subject, _current.Certificate.Thumbprint, _current.Certificate.NotAfter.ToUniversalTime());
        }
        catch (InvalidTlsFileException e)
        {
            LogReloadFailed(_options.CertificateFile!, e.Message);
        }
    }

    /// <summary>Reads and checks the pair; an <see cref="InvalidTlsFileException"/> says which file is wrong and how.</summary>
    internal static Loaded Read(string certificateFile, string keyFile, DateTimeOffset now)
    {
        byte[] ReadFile(string file, string setting)
        {
            try
            {
                var bytes = File.ReadAllBytes(file);
                return bytes.Length is > 0 and <= MaxFileBytes ? bytes
                    : throw new InvalidTlsFileException($"{setting} '{file}' is {(bytes.Length == 0 ? "empty" : "larger than 1 MiB")}: it should hold PEM text.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidTlsFileException($"{setting} '{file}' cannot be read: {e.Message}", e);
            }
        }

        return Parse(certificateFile, keyFile, ReadFile(certificateFile, "Portal:Tls:CertificateFile"), ReadFile(keyFile, "Portal:Tls:KeyFile"), now);
    }

    private const int MaxFileBytes = 1024 * 1024;

    private static Loaded Parse(string certificateFile, string keyFile, byte[] certificatePem, byte[] keyPem, DateTimeOffset now)
    {
        var certificateText = System.Text.Encoding.UTF8.GetString(certificatePem);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificateText);
        }
        catch (CryptographicException e)
        {
            throw new InvalidTlsFileException($"Portal:Tls:CertificateFile '{certificateFile}' holds a PEM certificate that does not decode: {e.Message}", e);
        }

        if (chain.Count == 0)
        {
            throw new InvalidTlsFileException($"Portal:Tls:CertificateFile '{certificateFile}' holds no certificate (no '-----BEGIN CERTIFICATE-----' block).");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificateText, System.Text.Encoding.UTF8.GetString(keyPem));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidTlsFileException(
                $"Portal:Tls:KeyFile '{keyFile}' is not a PEM private key of the certificate in '{certificateFile}' (the first certificate there must be the server's): {e.Message}", e);
        }

        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime || certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            throw new InvalidTlsFileException(
                $"Portal:Tls:CertificateFile '{certificateFile}': the certificate '{certificate.Subject}' is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not now.");
        }

        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage
            && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthentication))
        {
            throw new InvalidTlsFileException($"Portal:Tls:CertificateFile '{certificateFile}': the certificate '{certificate.Subject}' is not for server authentication (extended key usage serverAuth).");
        }

        var intermediates = new X509Certificate2Collection();
        intermediates.AddRange(chain.Skip(1).ToArray());
        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        return new Loaded(certificate, context, certificatePem, keyPem);
    }

    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    internal sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context, byte[] CertificatePem, byte[] KeyPem) : IDisposable
    {
        public void Dispose() => Certificate.Dispose();
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "HTTPS certificate '{Subject}' ({Thumbprint}, valid to {NotAfter:u}) from {File}")]
    private partial void LogLoaded(string subject, string thumbprint, DateTime notAfter, string file);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "HTTPS certificate renewed: now '{Subject}' ({Thumbprint}, valid to {NotAfter:u})")]
    private partial void LogReloaded(string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "The HTTPS certificate files changed but do not load; still serving the previous certificate ({File}): {Problem}")]
    private partial void LogReloadFailed(string file, string problem);
}

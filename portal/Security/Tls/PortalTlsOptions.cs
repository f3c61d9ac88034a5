using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Security.Tls;

/// <summary>The portal's own HTTPS certificate (section <c>Portal:Tls</c>); without it the portal serves plain HTTP.</summary>
public sealed record PortalTlsOptions
{
    public const string Section = "Portal:Tls";

    /// <summary>The server certificate (PEM), followed by any intermediates: the <c>tls.crt</c> of a Kubernetes TLS Secret.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>Its private key (PEM, PKCS#8, PKCS#1 or EC): the <c>tls.key</c> of the Secret.</summary>
    public string? KeyFile { get; init; }

    /// <summary>How often, at most, the files are looked at again for a renewed certificate.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrEmpty(CertificateFile) || !string.IsNullOrEmpty(KeyFile);
}

/// <summary>Both files or neither, readable, a certificate and its key, valid now; and an https URL to serve them on.</summary>
public sealed class PortalTlsOptionsValidation(IConfiguration configuration, TimeProvider time) : IValidateOptions<PortalTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalTlsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        if (options.ReloadInterval < TimeSpan.FromMilliseconds(100) || options.ReloadInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"Portal:Tls:ReloadInterval must be between 100 ms and 1 hour, not {options.ReloadInterval}.");
        }

        if (string.IsNullOrEmpty(options.CertificateFile) || string.IsNullOrEmpty(options.KeyFile))
        {
            problems.Add("Portal:Tls:CertificateFile and Portal:Tls:KeyFile go together (env Portal__Tls__CertificateFile, Portal__Tls__KeyFile): set both for HTTPS, or neither.");
        }
        else
        {
            try
            {
                ServerCertificate.Read(options.CertificateFile, options.KeyFile, time.GetUtcNow()).Dispose();
            }
            catch (InvalidTlsFileException e)
            {
                problems.Add(e.Message);
            }
        }

        // ASPNETCORE_URLS (or --urls): a certificate with no https:// URL to serve it would leave the portal on plain HTTP unnoticed.
        var urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls) && !urls.Split(';').Any(u => u.Trim().StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"Portal:Tls is set, but no URL of ASPNETCORE_URLS ('{urls}') is https://: serve the portal on https://host:port.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>A certificate or key file that cannot serve: the message names the file and what is wrong with it.</summary>
public sealed class InvalidTlsFileException(string message, Exception? inner = null) : Exception(message, inner);

using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Security.Ca;

/// <summary>The mesh certificate authority (section <c>Portal:MeshCa</c>).</summary>
public sealed class MeshCaOptions
{
    public const string Section = "Portal:MeshCa";

    /// <summary>The operator's CA certificate (PEM). Without it the portal generates one on first start and keeps it in PostgreSQL.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The private key (PEM, PKCS#8 or EC) of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The SPIFFE trust domain: a gateway's certificate names <c>spiffe://&lt;domain&gt;/node/&lt;node&gt;</c>.</summary>
    public string TrustDomain { get; set; } = MeshIdentity.DefaultTrustDomain;

    /// <summary>How long a gateway certificate is valid; gateways renew at two thirds of it.</summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>One connection gets at most one certificate per interval; more CSRs are refused.</summary>
    public TimeSpan MinRequestInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class MeshCaOptionsValidation : IValidateOptions<MeshCaOptions>
{
    public ValidateOptionsResult Validate(string? name, MeshCaOptions options)
    {
        var problems = new List<string>();
        if (!MeshIdentity.IsTrustDomain(options.TrustDomain))
        {
            problems.Add($"Portal:MeshCa:TrustDomain '{options.TrustDomain}' must be {MeshIdentity.TrustDomainRule}.");
        }

        if (options.CertificateLifetime < TimeSpan.FromSeconds(3) || options.CertificateLifetime > TimeSpan.FromDays(30))
        {
            problems.Add($"Portal:MeshCa:CertificateLifetime must be between 3 seconds and 30 days, not {options.CertificateLifetime}.");
        }

        if (options.MinRequestInterval < TimeSpan.Zero || options.MinRequestInterval > TimeSpan.FromHours(1))
        {
            problems.Add("Portal:MeshCa:MinRequestInterval must be between 0 and 1 hour.");
        }

        if (string.IsNullOrEmpty(options.CertificateFile) != string.IsNullOrEmpty(options.KeyFile))
        {
            problems.Add("Portal:MeshCa:CertificateFile and Portal:MeshCa:KeyFile go together: set both (your own CA) or neither (a generated one).");
        }

        foreach (var file in new[] { options.CertificateFile, options.KeyFile }.Where(f => !string.IsNullOrEmpty(f) && !File.Exists(f)))
        {
            problems.Add($"Portal:MeshCa: the file '{file}' does not exist.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

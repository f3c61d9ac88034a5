using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace MeshPortal.Shared.Fleet;

/// <summary>
/// The certificate a gateway got for its node. Beside the config, not in the snapshot: the config
/// hash covers only what the operator changed, and each node gets its own certificate.
/// </summary>
public sealed record IssuedCertificate
{
    /// <summary>The node's certificate (PEM), then any intermediate between it and the trust bundle.</summary>
    public required string ChainPem { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The mesh CA certificate(s) (PEM) a peer's certificate must chain to.</summary>
    public required string TrustBundlePem { get; init; }
}

/// <summary>How the mesh names a node in certificates: a SPIFFE ID under the trust domain.</summary>
public static partial class MeshIdentity
{
    public const string DefaultTrustDomain = "meshportal.local";
    public const string TrustDomainRule = "lower-case DNS labels (a-z, 0-9, '-', '.'), at most 255 characters";

    public static Uri NodeUri(string trustDomain, string node) => new($"spiffe://{trustDomain}/node/{node}");

    /// <summary>The URIs among a certificate's subject alternative names (.NET reads only DNS names and IPs itself).</summary>
    public static IReadOnlyList<string> UrisOf(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }

        return uris;
    }

    public static bool IsTrustDomain(string? value) => value is { Length: > 0 and <= 255 } && TrustDomainPattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex TrustDomainPattern();
}

using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.Identity;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// Whether a peer's certificate is a node certificate of this mesh: it chains to the trust bundle alone
/// (no system roots) and names a node under this node's own trust domain.
/// </summary>
internal static class PeerCertificateCheck
{
    private const string NodePath = "/node/";

    /// <summary>The node <paramref name="presented"/> names, or null when it is not a node certificate of this mesh.</summary>
    public static string? NodeOf(X509Certificate? presented, X509Chain? presentedChain, NodeIdentity? own, DateTimeOffset now)
    {
        if (presented is null || own is null || TrustDomainOf(own.Certificate) is not { } trustDomain)
        {
            return null;
        }

        var certificate = presented as X509Certificate2 ?? new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(own.TrustBundle);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (!chain.Build(certificate))
        {
            return null;
        }

        var prefix = $"spiffe://{trustDomain}{NodePath}";
        var nodes = MeshIdentity.UrisOf(certificate).Where(u => u.StartsWith(prefix, StringComparison.Ordinal)).Select(u => u[prefix.Length..]).ToList();
        return nodes.Count == 1 && Shared.Validation.NameRules.IsNodeName(nodes[0]) ? nodes[0] : null;
    }

    private static string? TrustDomainOf(X509Certificate2 own)
    {
        foreach (var uri in MeshIdentity.UrisOf(own))
        {
            if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == "spiffe" && parsed.AbsolutePath.StartsWith(NodePath, StringComparison.Ordinal))
            {
                return parsed.Host;
            }
        }

        return null;
    }
}

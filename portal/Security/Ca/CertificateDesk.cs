using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Fleet;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Security.Ca;

/// <summary>
/// Answers a gateway's CSR on the fleet hub: at most one per connection per
/// <see cref="MeshCaOptions.MinRequestInterval"/>, only while its token stands in the database (a
/// revocation on another replica may not have closed the connection yet), and only for the
/// token's node.
/// </summary>
public sealed partial class CertificateDesk(
    MeshCa ca, AccountStore accounts, GatewayRegistry registry, TimeProvider time, IOptions<MeshCaOptions> options, ILogger<CertificateDesk> logger)
{
    /// <summary>The certificate, or the refusal as an <see cref="InvalidOperationException"/> whose message the gateway sees.</summary>
    public async Task<IssuedCertificate> IssueAsync(FleetConnection connection, string? csrPem, CancellationToken ct)
    {
        var o = options.Value;
        if (!connection.TryTakeCertificateTurn(time, o.MinRequestInterval))
        {
            throw Refuse(connection, $"one certificate per {o.MinRequestInterval.TotalSeconds:0.###} s per connection; try again later");
        }

        var active = await accounts.ActiveGatewayTokenIdsAsync([connection.TokenId], ct);
        if (!active.Contains(connection.TokenId))
        {
            connection.Revoke();
            throw Refuse(connection, "the gateway token was revoked");
        }

        var outcome = CertificateIssuer.Issue(ca.Authority, csrPem, connection.Node, o.TrustDomain, time.GetUtcNow(), o.CertificateLifetime);
        if (outcome.Certificate is not { } certificate)
        {
            throw Refuse(connection, outcome.Problem!);
        }

        using (certificate)
        {
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            registry.CertificateIssued(connection.ConnectionId, notAfter);
            LogIssued(connection.Node, certificate.SerialNumber, notAfter);
            return new IssuedCertificate { ChainPem = certificate.ExportCertificatePem(), NotAfter = notAfter, TrustBundlePem = ca.TrustBundlePem };
        }
    }

    private InvalidOperationException Refuse(FleetConnection connection, string problem)
    {
        LogRefused(connection.Node, connection.ConnectionId, problem);
        return new InvalidOperationException(problem);
    }

    [LoggerMessage(EventId = 1342, Level = LogLevel.Information, Message = "Issued certificate {Serial} to gateway:{Node}, valid to {NotAfter:u}")]
    private partial void LogIssued(string node, string serial, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1343, Level = LogLevel.Warning, Message = "Refused a certificate to gateway:{Node} on connection {ConnectionId}: {Problem}")]
    private partial void LogRefused(string node, string connectionId, string problem);
}

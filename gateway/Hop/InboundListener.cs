using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// The inbound port: mutual TLS with the node certificate of the moment on the server side (read at
/// every handshake, so a renewal takes effect on the next connection) and a client certificate required
/// of every peer, which must chain to the mesh's trust bundle alone and name a node of the trust domain.
/// Before the node has a certificate every handshake fails.
/// </summary>
internal static class InboundListener
{
    public static void Listen(KestrelServerOptions kestrel, Uri uri, NodeCertificates certificates, TimeProvider time)
    {
        void Configure(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(ServerOptions(certificates.Current, time)),
                HandshakeTimeout = TimeSpan.FromSeconds(10),
            });
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, uri.Port, Configure);
        }
        else
        {
            kestrel.ListenLocalhost(uri.Port, Configure);
        }
    }

    private static SslServerAuthenticationOptions ServerOptions(NodeIdentity? identity, TimeProvider time)
    {
        if (identity is null)
        {
            throw new AuthenticationException("this node has no certificate yet: it takes no hops until the portal issues one");
        }

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = identity.ServerContext,
            ClientCertificateRequired = true,

            // The chain is built against the trust bundle alone, whatever the system's store says.
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                PeerCertificateCheck.NodeOf(certificate, chain, identity, time.GetUtcNow()) is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
    }
}

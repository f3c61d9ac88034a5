using System.Net.Security;
using MeshPortal.Gateway.Identity;
using Yarp.ReverseProxy.Forwarder;

namespace MeshPortal.Gateway.Hop;

/// <summary>
/// YARP's pooled client for every cluster, able to hop: on an https destination (a peer's inbound port)
/// it presents the node certificate of the moment and accepts the peer only when its certificate
/// chains to the trust bundle and names the node the hop is for. That node travels as the TLS server
/// name: a hop destination's Host is its node (<see cref="Proxy.ProxyConfigTranslator"/>), and the
/// handler takes the server name (and the pool key) from the Host header.
/// </summary>
internal sealed class HopHttpClientFactory(NodeCertificates certificates, TimeProvider time, ILogger<ForwarderHttpClientFactory> logger)
    : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificates.Current?.Certificate!;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, _) =>
            sender is SslStream { TargetHostName: { Length: > 0 } expected }
            && PeerCertificateCheck.NodeOf(certificate, chain, certificates.Current, time.GetUtcNow()) == expected;
    }
}

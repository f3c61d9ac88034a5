using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace MeshPortal.Gateway.Proxy;

/// <summary>
/// Hands YARP the config of the applied snapshot. An update swaps in a new immutable config and then
/// signals the old one's change token: YARP rebuilds its endpoints while requests already routed
/// finish on the old ones.
/// </summary>
internal sealed class MeshProxyConfigProvider : IProxyConfigProvider
{
    private volatile ProxyConfig _config = new([], [], "empty");

    public IProxyConfig GetConfig() => _config;

    public void Update(ProxySnapshot snapshot)
    {
        var old = Interlocked.Exchange(ref _config, new ProxyConfig(snapshot.Routes, snapshot.Clusters, snapshot.RevisionId));
        old.SignalChange();
    }

    private sealed class ProxyConfig : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public ProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, string revisionId)
        {
            Routes = routes;
            Clusters = clusters;
            RevisionId = revisionId;
            ChangeToken = new CancellationChangeToken(_changed.Token);
        }

        public string RevisionId { get; }

        public IReadOnlyList<RouteConfig> Routes { get; }

        public IReadOnlyList<ClusterConfig> Clusters { get; }

        public IChangeToken ChangeToken { get; }

        public void SignalChange() => _changed.Cancel();
    }
}

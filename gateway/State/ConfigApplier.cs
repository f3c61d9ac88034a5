using System.Text.Json;
using MeshPortal.Gateway.Hop;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.Telemetry;
using MeshPortal.Shared.Config;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace MeshPortal.Gateway.State;

/// <summary>
/// Applies a snapshot all or nothing: it is checked, translated and validated by YARP first, and only
/// then swapped in; a snapshot that fails any step leaves the served config untouched.
/// </summary>
internal sealed class ConfigApplier(
    MeshProxyConfigProvider provider,
    RouteBindings bindings,
    RouteHandlersBuilder handlerBuilder,
    IConfigValidator yarpValidator,
    AppliedConfig applied,
    LastKnownGoodStore store,
    LastKnownGoodWriter lastKnownGood,
    ReplacedConfigCollector collector,
    GatewayMetrics metrics,
    PeerDirectory peers,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<ConfigApplier> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _maxRoutes = options.Value.MaxRoutes;
    private readonly string _node = options.Value.Node;

    // The handlers of the served config (guarded by _gate), whose state the next config may carry over.
    private IReadOnlyDictionary<string, RouteHandlers> _handlers = new Dictionary<string, RouteHandlers>();

    // The translation of the served config (guarded by _gate), whose unchanged routes the next one takes over.
    private ProxySnapshot? _served;

    /// <summary>
    /// Applies <paramref name="snapshot"/>; returns null when it is served, else why it was refused.
    /// <paramref name="hashChecked"/>: composed from a delta, whose hash <see cref="DeltaComposer"/> checked.
    /// </summary>
    public async Task<string?> ApplyAsync(MeshSnapshot? snapshot, bool persist, CancellationToken cancellationToken, bool hashChecked = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // First: checking and translating cost in proportion to the snapshot's size.
            if (snapshot?.Config?.Routes is { Count: var routes } && routes > _maxRoutes)
            {
                return Reject(snapshot.Revision, $"snapshot has {routes} routes; this gateway accepts at most {_maxRoutes} (Gateway:MaxRoutes)");
            }

            if (!SnapshotCheck.IsAcceptable(snapshot, hashChecked, out var problem))
            {
                return Reject(snapshot?.Revision ?? 0, problem);
            }

            if (applied.Current?.Snapshot is { } current)
            {
                if (current.Revision == snapshot.Revision && current.Hash == snapshot.Hash)
                {
                    return null;
                }

                // Revisions only grow; an older one comes from a portal replica that lags behind,
                // and applying it would roll this node back.
                if (snapshot.Revision < current.Revision)
                {
                    return Reject(snapshot.Revision, $"revision {snapshot.Revision} is older than revision {current.Revision}, which this gateway serves: not applied");
                }
            }

            var proxy = ProxyConfigTranslator.Translate(snapshot, Plan(), _served);
            if (await FindProxyProblemAsync(proxy) is { } refused)
            {
                return Reject(snapshot.Revision, $"the proxy refused revision {snapshot.Revision}: {refused}");
            }

            Serve(proxy);
            var replaced = applied.Current is not null;
            applied.Set(AppliedSnapshot.Of(snapshot, time.GetUtcNow(), applied.Current));
            if (replaced)
            {
                collector.Replaced();
            }

            metrics.ConfigApplied();
            Log.SnapshotApplied(logger, snapshot.Revision, snapshot.Hash, snapshot.Config.Routes.Count, snapshot.Config.Services.Count);
            if (persist)
            {
                lastKnownGood.Offer(snapshot);
            }

            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Translates the served snapshot again after the peers or the mode changed: instances on other nodes
    /// are then reached the new way, while their destinations (and so their health) stay the same.
    /// </summary>
    public async Task RetranslateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (applied.Current?.Snapshot is not { } snapshot)
            {
                return;
            }

            var proxy = ProxyConfigTranslator.Translate(snapshot, Plan());
            if (await FindProxyProblemAsync(proxy) is { } refused)
            {
                Log.RetranslationRefused(logger, snapshot.Revision, refused);
                return;
            }

            Serve(proxy);
            Log.Retranslated(logger, snapshot.Revision, peers.Mode, peers.Current.Inbound.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    private HopPlan Plan() => new(_node, peers.Current);

    /// <summary>Under the gate: swaps in the translated config and the handlers its routes carry over.</summary>
    private void Serve(ProxySnapshot proxy)
    {
        var handlers = handlerBuilder.Build(proxy, _handlers);
        bindings.Bind(proxy, handlers);
        provider.Update(proxy);
        _handlers = handlers;
        _served = proxy;
    }

    /// <summary>Serves the snapshot kept on disk, if any and valid, so the gateway can work before the portal answers.</summary>
    public async Task LoadLastKnownGoodAsync(CancellationToken cancellationToken)
    {
        MeshSnapshot? snapshot;
        try
        {
            snapshot = store.Load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            Log.LastKnownGoodUnreadable(logger, store.FilePath, ex.Message);
            return;
        }

        if (snapshot is null)
        {
            Log.NoLastKnownGood(logger, store.FilePath);
            return;
        }

        if (await ApplyAsync(snapshot, persist: false, cancellationToken) is null)
        {
            Log.LastKnownGoodLoaded(logger, snapshot.Revision, store.FilePath);
        }
    }

    private string Reject(long revision, string problem)
    {
        metrics.ConfigApplyFailed();
        Log.SnapshotRejected(logger, revision, problem);
        return problem;
    }

    /// <summary>
    /// Runs YARP's own validation up front: YARP would otherwise drop a bad config after the swap, only
    /// logging it. Routes taken over from the served config passed it when they were translated.
    /// </summary>
    private async Task<string?> FindProxyProblemAsync(ProxySnapshot proxy)
    {
        var errors = new List<string>();
        foreach (var route in proxy.Fresh)
        {
            errors.AddRange((await yarpValidator.ValidateRouteAsync(route.Route)).Select(e => $"route '{route.Route.RouteId}': {e.Message}"));
            errors.AddRange((await yarpValidator.ValidateClusterAsync(route.Cluster)).Select(e => $"cluster '{route.Cluster.ClusterId}': {e.Message}"));
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Gateway.Hosting;
using MeshPortal.Shared.Fleet;
using Microsoft.Extensions.Options;

namespace MeshPortal.Gateway.Identity;

/// <summary>Sends a CSR to the portal and returns what it issued (the fleet hub's RequestCertificate).</summary>
internal delegate Task<IssuedCertificate> CertificateRequester(string csrPem, CancellationToken cancellationToken);

/// <summary>
/// Keeps the node's certificate fresh: asks for one once connected (after Hello), again at two
/// thirds of its lifetime, and retries failures well before expiry. The key pair is made here, once
/// per process, and only the CSR leaves the node.
/// </summary>
internal sealed partial class CertificateRenewer : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinRetry = TimeSpan.FromMilliseconds(500);

    private readonly NodeCertificates _certificates;
    private readonly IdentityFile _file;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateRenewer> _logger;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _csrPem;
    private readonly ITimer _timer;
    private CertificateRequester? _requester;
    private int _busy;
    private int _again;
    private int _forced;

    public CertificateRenewer(
        NodeCertificates certificates, IdentityFile file, IOptions<GatewayOptions> options, TimeProvider time, ILogger<CertificateRenewer> logger)
    {
        _certificates = certificates;
        _file = file;
        _time = time;
        _logger = logger;
        // The portal decides the certificate's names and uses; the CSR only proves the key and names the node.
        _csrPem = new CertificateRequest($"CN={options.Value.Node}", _key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        _timer = time.CreateTimer(_ => _ = RenewIfDueAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The fleet channel is up and Hello was taken: asks for a certificate now, even if the current
    /// one is not due, so the replica holding the connection knows its expiry and the trust bundle is fresh.
    /// </summary>
    public void Connected(CertificateRequester requester)
    {
        Volatile.Write(ref _requester, requester);
        Volatile.Write(ref _forced, 1);
        _ = RenewIfDueAsync();
    }

    /// <summary>
    /// Before the first connect: takes the certificate this node kept from its last run, if it is still
    /// valid, so a gateway restarted while the portal is down keeps taking and making hops.
    /// </summary>
    public void LoadSaved()
    {
        try
        {
            if (_file.Load(_time.GetUtcNow(), out var problem) is { } identity)
            {
                _certificates.Swap(identity);
                LogLoaded(identity.Certificate.SerialNumber, identity.NotAfter, _file.FilePath);
                Arm(identity.RenewAt - _time.GetUtcNow());
            }
            else if (problem is not null)
            {
                LogSavedIgnored(_file.FilePath, problem);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or CryptographicException or ArgumentException)
        {
            LogSavedIgnored(_file.FilePath, ex.Message);
        }
    }

    /// <summary>The fleet channel is down: a due renewal waits for <see cref="Connected"/>.</summary>
    public void Disconnected() => Volatile.Write(ref _requester, null);

    /// <summary>Asks for a certificate when there is none or the current one is due; otherwise arms the timer for when it will be.</summary>
    public async Task RenewIfDueAsync()
    {
        // A call while one runs is not lost: the running one goes round again (the channel may have come back meanwhile).
        Interlocked.Exchange(ref _again, 1);
        while (Volatile.Read(ref _again) == 1 && Interlocked.Exchange(ref _busy, 1) == 0)
        {
            Volatile.Write(ref _again, 0);
            try
            {
                await RenewOnceAsync();
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }
    }

    private async Task RenewOnceAsync()
    {
        var current = _certificates.Current;
        var now = _time.GetUtcNow();
        var forced = Interlocked.Exchange(ref _forced, 0) == 1;
        if (!forced && current is not null && now < current.RenewAt)
        {
            Arm(current.RenewAt - now);
            return;
        }

        if (Volatile.Read(ref _requester) is not { } requester)
        {
            return;
        }

        try
        {
            var identity = Accept(await requester(_csrPem, CancellationToken.None));
            _certificates.Swap(identity);
            LogRenewed(identity.Certificate.SerialNumber, identity.NotAfter, identity.RenewAt);
            Save(identity);
            Arm(identity.RenewAt - _time.GetUtcNow());
        }
        catch (Exception ex)
        {
            var retry = RetryDelay(current, _time.GetUtcNow());
            LogFailed(ex.Message, (long)retry.TotalMilliseconds);
            Arm(retry);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _key.Dispose();
    }

    /// <summary>Binds the issued certificate to this node's key (refused if it is not for this key) and checks it chains to the bundle.</summary>
    private NodeIdentity Accept(IssuedCertificate issued)
    {
        using var leaf = X509Certificate2.CreateFromPem(issued.ChainPem);
        var certificate = leaf.CopyWithPrivateKey(_key);
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(issued.TrustBundlePem);
        if (TrustChain.Problem(certificate, bundle, _time.GetUtcNow()) is { } problem)
        {
            throw new CryptographicException($"the issued certificate does not chain to the trust bundle: {problem}");
        }

        return NodeIdentity.Create(certificate, bundle, _time.GetUtcNow(), issued.NotAfter);
    }

    private void Save(NodeIdentity identity)
    {
        try
        {
            _file.Save(identity);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            LogSaveFailed(_file.FilePath, ex.Message);
        }
    }

    /// <summary>A tenth of what is left (so several tries fit before expiry), within half a second and 30 s.</summary>
    private static TimeSpan RetryDelay(NodeIdentity? current, DateTimeOffset now)
    {
        if (current is null)
        {
            return FirstRetry;
        }

        var tenth = (current.NotAfter - now) / 10;
        return tenth < MinRetry ? MinRetry : tenth > MaxRetry ? MaxRetry : tenth;
    }

    private void Arm(TimeSpan due) => _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Node certificate {Serial} valid to {NotAfter:u}; renewing at {RenewAt:u}")]
    private partial void LogRenewed(string serial, DateTimeOffset notAfter, DateTimeOffset renewAt);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Getting a node certificate failed: {Error}; retrying in {DelayMs} ms")]
    private partial void LogFailed(string error, long delayMs);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Node certificate {Serial} valid to {NotAfter:u} taken from {Path} (kept from the last run)")]
    private partial void LogLoaded(string serial, DateTimeOffset notAfter, string path);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "The node certificate kept in {Path} is not used: {Problem}; waiting for the portal to issue one")]
    private partial void LogSavedIgnored(string path, string problem);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning, Message = "Keeping the node certificate in {Path} failed: {Error}; a restart while the portal is down will take no hops")]
    private partial void LogSaveFailed(string path, string error);
}

using System.Security.Claims;
using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Portal.Telemetry;
using MeshPortal.UnitTests.Portal.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshPortal.UnitTests.Portal.Commands;

/// <summary>The portal's write and read path on a real PostgreSQL, with the log tailer running.</summary>
public sealed class PortalCore : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();

    public PostgresDatabase Database => _db;

    public EventStore Store { get; private set; } = null!;
    public SnapshotStore Snapshots { get; private set; } = null!;
    public MeshStateCache Cache { get; } = new(TimeProvider.System);
    public MeshHistory History { get; private set; } = null!;
    public MeshCommands Commands { get; private set; } = null!;
    public EventLogTailer Tailer { get; private set; } = null!;
    public TelemetryStore Telemetry { get; } = new(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new MeshPortal.Portal.Fleet.FleetOptions()));

    /// <summary>An operator's request, as the API builds it from the signed-in principal.</summary>
    public static CommandContext By(string actor, string? reason = null, bool confirmed = false) => As(actor, Roles.Operator, reason, confirmed);

    public static CommandContext As(string actor, string role, string? reason = null, bool confirmed = false)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, actor) };
        claims.AddRange(Roles.Implied(role).Select(r => new Claim(ClaimTypes.Role, r)));
        return CommandContext.For(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")), reason, null, null, confirmed);
    }

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        Store = new EventStore(_db.Store, TimeProvider.System);
        Snapshots = new SnapshotStore(_db.Store);
        History = new MeshHistory(Store, Snapshots, Cache);
        Commands = new MeshCommands(Store, Cache, History, Telemetry);
        Tailer = new EventLogTailer(_db.DataSource, History, Snapshots, Cache, NullLogger<EventLogTailer>.Instance);
        await Tailer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Tailer.StopAsync(CancellationToken.None);
        await _db.DisposeAsync();
    }
}

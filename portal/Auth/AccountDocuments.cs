using Marten;
using Marten.Exceptions;
using Npgsql;

namespace MeshPortal.Portal.Auth;

/// <summary>A user; the id is the user name, so names are unique by construction.</summary>
public sealed record UserDoc
{
    public required string Id { get; init; }
    public required string PasswordHash { get; init; }
    public required string Role { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>An API key: only its hash is stored.</summary>
public sealed record ApiKeyDoc
{
    public required string Id { get; init; }
    public required string KeyHash { get; init; }
    public required string UserName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>A gateway's token: only its hash is stored.</summary>
public sealed record GatewayTokenDoc
{
    public required string Id { get; init; }
    public required string Node { get; init; }
    public required string TokenHash { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>
/// A cluster join token: it only lets a new node's gateway enroll (get its own node token), never
/// connect to the fleet hub. Only its hash is stored; expiry and the number of uses are optional.
/// </summary>
public sealed record JoinTokenDoc
{
    public required string Id { get; init; }
    public required string TokenHash { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public int? MaxUses { get; init; }
    public int Uses { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>A browser session; the id is the hash of the session id the cookie carries.</summary>
public sealed record SessionDoc
{
    public required string Id { get; init; }
    public required string UserName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>A data-protection key as the key manager hands it over (encrypted when a key is configured).</summary>
public sealed record DataProtectionKeyDoc
{
    public required string Id { get; init; }
    public required string Xml { get; init; }
}

/// <summary>Rewritten by every change that could remove an admin, so two such changes conflict.</summary>
public sealed record AdminGuard
{
    public const string TheId = "admins";

    public required string Id { get; init; }
    public required long Changes { get; init; }
}

/// <summary>
/// The account documents' mapping. Every field a query filters or sorts on is a duplicated
/// column, so queries and unique indexes use plain columns whatever the JSON naming policy is.
/// </summary>
public static class AccountDocuments
{
    public static void Configure(StoreOptions o)
    {
        o.Schema.For<UserDoc>().DocumentAlias("mesh_user").UseOptimisticConcurrency(true)
            .Duplicate(x => x.Role);
        o.Schema.For<ApiKeyDoc>().DocumentAlias("mesh_api_key").UseOptimisticConcurrency(true)
            .Duplicate(x => x.KeyHash, configure: i => i.IsUnique = true)
            .Duplicate(x => x.UserName)
            .Duplicate(x => x.CreatedAt, notNull: true)
            .Duplicate(x => x.RevokedAt);
        o.Schema.For<GatewayTokenDoc>().DocumentAlias("mesh_gateway_token").UseOptimisticConcurrency(true)
            .Duplicate(x => x.TokenHash, configure: i => i.IsUnique = true)
            .Duplicate(x => x.CreatedAt, notNull: true)
            .Duplicate(x => x.RevokedAt);
        o.Schema.For<JoinTokenDoc>().DocumentAlias("mesh_join_token").UseOptimisticConcurrency(true)
            .Duplicate(x => x.TokenHash, configure: i => i.IsUnique = true)
            .Duplicate(x => x.CreatedAt, notNull: true);
        o.Schema.For<SessionDoc>().DocumentAlias("mesh_session")
            .Duplicate(x => x.UserName)
            .Duplicate(x => x.ExpiresAt, notNull: true);
        o.Schema.For<DataProtectionKeyDoc>().DocumentAlias("mesh_dataprotection_key");
        o.Schema.For<Security.Ca.MeshCaDoc>().DocumentAlias("mesh_ca");
        o.Schema.For<AdminGuard>().DocumentAlias("mesh_admin_guard").UseOptimisticConcurrency(true);
        o.Schema.For<AccountUpgradeMarker>().DocumentAlias("mesh_account_upgrade");
    }

    /// <summary>A concurrent writer got there first (stale version, a document created meanwhile, a serialization failure).</summary>
    public static bool IsConflict(Exception e) => e switch
    {
        JasperFx.ConcurrencyException or ConcurrentUpdateException or JasperFx.DocumentAlreadyExistsException => true,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure } => true,
        _ => e.InnerException is { } inner && IsConflict(inner),
    };
}

namespace MeshPortal.Portal.Store;

/// <summary>
/// Who may act on the mesh, recorded in the same log as the config so History shows it. These
/// never carry a secret (no password, key or token, not even a hash) and never change the config.
/// </summary>
public abstract record AccountEvent : MeshEvent;

public sealed record UserCreated(string Name, string Role) : AccountEvent;

public sealed record UserRoleChanged(string Name, string From, string To) : AccountEvent;

public sealed record UserPasswordChanged(string Name) : AccountEvent;

public sealed record UserDeleted(string Name) : AccountEvent;

public sealed record ApiKeyCreated(string User, string KeyId) : AccountEvent;

public sealed record ApiKeyRevoked(string User, string KeyId) : AccountEvent;

public sealed record GatewayTokenMinted(string Node, string TokenId) : AccountEvent;

public sealed record GatewayTokenRevoked(string Node, string TokenId) : AccountEvent;

public sealed record JoinTokenMinted(string TokenId, DateTimeOffset? ExpiresAt, int? MaxUses) : AccountEvent;

public sealed record JoinTokenRevoked(string TokenId) : AccountEvent;

/// <summary>A node's gateway exchanged a join token for its own token (the one it replaced, if any, is revoked apart).</summary>
public sealed record NodeEnrolled(string Node, string TokenId, string JoinTokenId) : AccountEvent;

public static class AccountEvents
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(UserCreated), typeof(UserRoleChanged), typeof(UserPasswordChanged), typeof(UserDeleted),
        typeof(ApiKeyCreated), typeof(ApiKeyRevoked), typeof(GatewayTokenMinted), typeof(GatewayTokenRevoked),
        typeof(JoinTokenMinted), typeof(JoinTokenRevoked), typeof(NodeEnrolled),
    ];

    public static string AccountStream(string user) => $"account-{user}";

    public static string GatewayTokenStream(string node) => $"gateway-token-{node}";

    public static string JoinTokenStream(string id) => $"join-token-{id}";

    public static string Describe(AccountEvent e) => e switch
    {
        UserCreated c => $"user {c.Name} created ({c.Role})",
        UserRoleChanged r => $"user {r.Name} role: {r.From} → {r.To}",
        UserPasswordChanged p => $"user {p.Name} password changed",
        UserDeleted d => $"user {d.Name} deleted",
        ApiKeyCreated k => $"API key {k.KeyId} created for {k.User}",
        ApiKeyRevoked k => $"API key {k.KeyId} of {k.User} revoked",
        GatewayTokenMinted t => $"gateway token {t.TokenId} minted for node {t.Node}",
        GatewayTokenRevoked t => $"gateway token {t.TokenId} of node {t.Node} revoked",
        JoinTokenMinted j => $"join token {j.TokenId} minted" + JoinTerms(j),
        JoinTokenRevoked j => $"join token {j.TokenId} revoked",
        NodeEnrolled n => $"node {n.Node} enrolled with join token {n.JoinTokenId}: gateway token {n.TokenId}",
        _ => e.GetType().Name,
    };

    private static string JoinTerms(JoinTokenMinted j) => (j.ExpiresAt, j.MaxUses) switch
    {
        (null, null) => "",
        ({ } at, null) => $" (expires {at:u})",
        (null, { } uses) => $" ({uses} uses)",
        ({ } at, { } uses) => $" (expires {at:u}, {uses} uses)",
    };
}

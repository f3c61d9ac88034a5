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

public static class AccountEvents
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(UserCreated), typeof(UserRoleChanged), typeof(UserPasswordChanged), typeof(UserDeleted),
        typeof(ApiKeyCreated), typeof(ApiKeyRevoked), typeof(GatewayTokenMinted), typeof(GatewayTokenRevoked),
    ];

    public static string AccountStream(string user) => $"account-{user}";

    public static string GatewayTokenStream(string node) => $"gateway-token-{node}";

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
        _ => e.GetType().Name,
    };
}

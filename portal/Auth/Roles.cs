namespace MeshPortal.Portal.Auth;

public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";
    public const string Gateway = "gateway";

    /// <summary>A cluster join token's only role: it may enroll nodes and do nothing else.</summary>
    public const string Joiner = "joiner";

    public static IReadOnlyList<string> UserRoles { get; } = [Viewer, Operator, Admin];

    /// <summary>Claims for a user: each role implies the ones below it.</summary>
    public static IEnumerable<string> Implied(string role) => role switch
    {
        Admin => [Viewer, Operator, Admin],
        Operator => [Viewer, Operator],
        _ => [Viewer],
    };
}

public static class Policies
{
    public const string Read = "read";
    public const string ChangeRouting = "change-routing";
    public const string Administer = "administer";
    public const string Fleet = "fleet";
    public const string Enroll = "enroll";
}
